import type { Policy } from './policies.ts';

/** What a check of one request against one policy found. */
export interface Verdict {
  allowed: boolean;
  limit: number;
  /** Requests left in the sliding window after this one (0 when refused). */
  remaining: number;
  /** Seconds until the current window ends (RateLimit-Reset). */
  resetSeconds: number;
  /** Refused: seconds until a request of this key will be allowed again (Retry-After). */
  retryAfterSeconds: number;
}

/**
 * The limiter port. Keys are user ids or client addresses (a UUID never reads as an address,
 * so they need no prefix). The in-process adapter answers synchronously and reuses one
 * Verdict object: read it before the next check.
 */
export interface RateLimiter {
  readonly kind: 'memory' | 'upstash';
  /** Counts one request of `key` against `policy`, unless it is refused. */
  hit(policy: Policy, key: string): Verdict | Promise<Verdict>;
  /** Gives back one counted request (a login that succeeded does not count as an attempt). */
  refund(policy: Policy, key: string): void | Promise<void>;
}

export const secondsUntil = (at: number, now: number) => Math.max(1, Math.ceil((at - now) / 1000));
