/** A UTC day: days since the epoch are whole multiples of it, so midnight UTC is a window boundary. */
export const DAY_MS = 86_400_000;

/**
 * A window boundary in the middle of a test that counts within one window (a rate limit's, a UTC
 * day's) would move what it counts: such a test starts clear of one. The wait (up to needMs)
 * comes out of the test's own time, so a test that calls this adds needMs to its timeout.
 */
export async function clearOfBoundary(windowMs: number, needMs: number) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}
