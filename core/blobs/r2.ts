/** Blobs in a Cloudflare R2 bucket (a binding of the Worker, see wrangler.toml), keyed as given. */
import { checkBlobKey, type BlobStore } from './port.ts';

/** The part of the Workers `R2Bucket` binding used here. */
export interface R2BucketLike {
  put(key: string, value: Uint8Array): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  delete(key: string): Promise<void>;
}

export function createR2BlobStore(bucket: R2BucketLike): BlobStore {
  return {
    async put(key, bytes) {
      await bucket.put(checkBlobKey(key), bytes);
    },
    async get(key) {
      const object = await bucket.get(checkBlobKey(key));
      return object ? new Uint8Array(await object.arrayBuffer()) : null;
    },
    delete: (key) => bucket.delete(checkBlobKey(key)),
  };
}
