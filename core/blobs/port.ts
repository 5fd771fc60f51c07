/**
 * The blob storage port: a plugin's files (receipt images), keyed by name. The host picks the
 * adapter: files under DATA_DIR on Node and Deno (core/blobs/files.ts), an R2 bucket on
 * Workers (core/blobs/r2.ts). Keys are built by the app from ids, never from a client's file name.
 */
export interface BlobStore {
  /** Stores `bytes` under `key`, replacing what was there; complete or not at all. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes under `key`, or null when there are none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes `key`; a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** `<prefix>/<name>` of letters, digits, `-` and `_`: nothing that could climb out of a folder. */
const KEY = /^[a-z][a-z0-9-]*(\/[A-Za-z0-9_-]{1,128})+$/;

export function checkBlobKey(key: string): string {
  if (!KEY.test(key)) throw new RangeError(`invalid blob key: ${JSON.stringify(key).slice(0, 80)}`);
  return key;
}
