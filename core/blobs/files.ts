/**
 * Blobs as files under a folder (DATA_DIR on the embedded hosts): `receipts/<id>` is
 * DATA_DIR/receipts/<id>. A write goes to a temporary name first and is renamed into place,
 * so a reader never sees half a file, and a crash leaves at most a stray temporary file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkBlobKey, type BlobStore } from './port.ts';

export function createFileBlobStore(root: string): BlobStore {
  const pathOf = (key: string) => join(root, ...checkBlobKey(key).split('/'));
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomUUID()}.tmp`;
      try {
        await writeFile(temporary, bytes, { flush: true });
        await rename(temporary, path);
      } catch (err) {
        await rm(temporary, { force: true });
        throw err;
      }
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
