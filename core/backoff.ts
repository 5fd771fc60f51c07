/**
 * Exponential backoff for retries: `firstMs` after the first failure, doubling with each
 * failure after it, never more than `maxMs`. `failures` counts failures so far (1 = the first).
 */
export const backoff = (firstMs: number, maxMs: number) => (failures: number) => Math.min(firstMs * 2 ** Math.max(0, failures - 1), maxMs);
