import type { Platform } from '../../core/platform.ts';

export interface Page {
  /** The items, a JSON array as UTF-8 bytes: encoded once, not on every answer from the cache. */
  json: Uint8Array<ArrayBuffer>;
  /** The `Link` header to the next page; null on the last. */
  link: string | null;
}

// About 25 KB a 50-item page: at most ~25 MB per process or isolate.
const MAX_PAGES = 1000;
const caches = new WeakMap<Platform, Map<string, Page>>();

/**
 * Recently served list pages of this process (or isolate). The key carries everything a page
 * depends on: the user's data version (raised in the same batch as every write to their
 * expenses), display currency, the rates held and the query. A write anywhere changes the
 * key, so an entry never serves stale data; it only saves recomputing an unchanged page.
 */
export async function cachedPage(platform: Platform, key: string, compute: () => Promise<Page>): Promise<Page> {
  let cache = caches.get(platform);
  if (!cache) caches.set(platform, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const page = await compute();
  if (cache.size >= MAX_PAGES) cache.delete(cache.keys().next().value!);
  cache.set(key, page);
  return page;
}

/** The page kept under `key`, if any: nothing is computed. */
export const keptPage = (platform: Platform, key: string): Page | undefined => caches.get(platform)?.get(key);
