import type { RateLimiter, Verdict } from './limiter.ts';
import { secondsUntil } from './limiter.ts';
import type { Policy, PolicyName } from './policies.ts';
import { allowedAt, used } from './sliding-window.ts';

/** One policy's counters: this window's and the previous one's, by key. */
interface Windows {
  start: number;
  current: Map<string, number>;
  previous: Map<string, number>;
}

const EMPTY = new Map<string, number>();

/**
 * The in-process sliding window (Node and Deno; a Worker in development): a check is two map
 * reads and one write. Memory holds only keys seen in the last two windows: when a window
 * ends, its map becomes the previous one and the older one is dropped whole, with no sweep.
 */
export function createMemoryLimiter(now: () => number = Date.now): RateLimiter {
  const byPolicy = new Map<PolicyName, Windows>();
  // Reused by every check: the caller reads it before the next one (see RateLimiter).
  const verdict: Verdict = { allowed: true, limit: 0, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0 };

  const windowsOf = (policy: Policy, at: number): Windows => {
    const start = at - (at % policy.windowMs);
    let w = byPolicy.get(policy.name);
    if (!w) byPolicy.set(policy.name, (w = { start, current: new Map(), previous: EMPTY }));
    else if (w.start !== start) {
      // The window moved on: one step keeps this window's counts as the previous ones.
      w.previous = start - w.start === policy.windowMs ? w.current : EMPTY;
      w.current = new Map();
      w.start = start;
    }
    return w;
  };

  return {
    kind: 'memory',
    hit(policy, key) {
      const at = now();
      const w = windowsOf(policy, at);
      const curr = w.current.get(key) ?? 0;
      const prev = w.previous.get(key) ?? 0;
      const count = used(prev, curr, at, policy.windowMs);
      verdict.limit = policy.max;
      verdict.resetSeconds = secondsUntil(w.start + policy.windowMs, at);
      if (count >= policy.max) {
        verdict.allowed = false;
        verdict.remaining = 0;
        verdict.retryAfterSeconds = secondsUntil(allowedAt(prev, curr, policy.max, at, policy.windowMs), at);
      } else {
        w.current.set(key, curr + 1);
        verdict.allowed = true;
        verdict.remaining = policy.max - count - 1;
        verdict.retryAfterSeconds = 0;
      }
      return verdict;
    },
    refund(policy, key) {
      const w = windowsOf(policy, now());
      // Counted in this window, or in the one just ended if the window moved on meanwhile.
      for (const map of [w.current, w.previous]) {
        const n = map.get(key);
        if (n) {
          if (n === 1) map.delete(key);
          else map.set(key, n - 1);
          return;
        }
      }
    },
  };
}
