/** What a retry may wait for and how often it happens. */
export interface RetryOptions {
  /** Tries after the first (default 2). */
  retries?: number;
  /** The first wait, doubled each time (default 250 ms); a Retry-After answer sets its own, up to `maxDelayMs`. */
  baseDelayMs?: number;
  /** The longest wait (default 10 s). */
  maxDelayMs?: number;
}

const RETRIED_STATUSES = new Set([408, 429, 502, 503, 504]);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A fetch that tries again after a network error, a 408, 429, 502, 503 or 504. Every write
 * carries an `Idempotency-Key` (made once per call, unless the caller set one), the same on
 * each of its tries, so a write whose answer was lost is not done twice by the server.
 */
export function retryingFetch(base: (request: Request) => Promise<Response>, options: RetryOptions = {}): (request: Request) => Promise<Response> {
  const retries = options.retries ?? 2;
  const baseDelay = options.baseDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 10_000;
  return async (request) => {
    if (WRITES.has(request.method) && !request.headers.has('idempotency-key')) {
      request = new Request(request, { headers: new Headers(request.headers) });
      request.headers.set('idempotency-key', crypto.randomUUID());
    }
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries;
      // Each try sends its own copy: a body can be read once.
      const tryRequest = last ? request : request.clone();
      let response: Response;
      try {
        response = await base(tryRequest);
      } catch (err) {
        if (last || request.signal.aborted) throw err;
        await sleep(Math.min(baseDelay * 2 ** attempt, maxDelay));
        continue;
      }
      if (last || !RETRIED_STATUSES.has(response.status)) return response;
      const after = Number(response.headers.get('retry-after'));
      await response.body?.cancel();
      await sleep(Math.min(Number.isFinite(after) && after > 0 ? after * 1000 : baseDelay * 2 ** attempt, maxDelay));
    }
  };
}
