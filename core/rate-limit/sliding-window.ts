/**
 * The sliding-window estimate both adapters use, the same as @upstash/ratelimit's
 * `slidingWindow`: windows are aligned on multiples of the window length, and the requests of
 * the previous window count in proportion to how much of it the sliding window still covers.
 * O(1) per check: two counters per key, whatever the limit.
 */

/** Requests counted against a key at `now`, given its previous and current windows' counts. */
export function used(prev: number, curr: number, now: number, windowMs: number): number {
  // The same expression, in the same order, as the Upstash script: both agree to the request.
  return Math.floor((1 - (now % windowMs) / windowMs) * prev) + curr;
}

/**
 * The first instant (ms) at or after `now` when a key with these counts is allowed one more
 * request, if no other request of it is counted meanwhile (refused ones are not). This is what
 * Retry-After says: a client that waits that long gets through.
 */
export function allowedAt(prev: number, curr: number, max: number, now: number, windowMs: number): number {
  if (used(prev, curr, now, windowMs) < max) return now;
  const start = now - (now % windowMs);
  // Still within this window, the previous one's share shrinks as time goes on.
  if (curr < max && prev > 0) {
    let offset = Math.max(now - start, Math.floor(windowMs - ((max - curr) * windowMs) / prev));
    while (offset < windowMs && used(prev, curr, start + offset, windowMs) >= max) offset++;
    if (offset < windowMs) return start + offset;
  }
  // In the next window this one's count becomes the previous one's, and its share shrinks.
  const next = start + windowMs;
  let offset = Math.max(0, Math.floor(windowMs - (max * windowMs) / Math.max(curr, 1)));
  while (offset < windowMs && used(curr, 0, next + offset, windowMs) >= max) offset++;
  return next + offset;
}
