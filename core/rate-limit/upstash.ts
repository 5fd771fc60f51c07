import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis/cloudflare';
import type { Logger } from '../logger.ts';
import type { RateLimiter, Verdict } from './limiter.ts';
import { secondsUntil } from './limiter.ts';
import type { Policy, PolicyName } from './policies.ts';
import { allowedAt } from './sliding-window.ts';

export interface UpstashSettings {
  url: string;
  token: string;
  /** Keys are `<prefix>:<policy>:<key>:<window number>`. */
  prefix?: string;
  /** Past this, a check lets the request through (and logs it): Redis being slow must not stop the API. */
  timeoutMs?: number;
}

const ALLOW: Verdict = { allowed: true, limit: 0, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0 };

/**
 * @upstash/ratelimit's sliding window over Upstash Redis (REST): one count for every process
 * and isolate, on any host. The same estimate as the in-process adapter (sliding-window.ts).
 */
export function createUpstashLimiter(settings: UpstashSettings, logger: Logger): RateLimiter {
  // The `cloudflare` build is plain fetch: it runs on Workers, Node and Deno alike.
  const redis = new Redis({ url: settings.url, token: settings.token, enableTelemetry: false, retry: { retries: 1 } });
  const prefix = settings.prefix ?? 'expenseflow:rl';
  const limiters = new Map<PolicyName, { ratelimit: Ratelimit; windowMs: number; max: number }>();
  const limiterOf = (policy: Policy) => {
    let l = limiters.get(policy.name);
    if (!l || l.windowMs !== policy.windowMs || l.max !== policy.max) {
      l = {
        ratelimit: new Ratelimit({
          redis,
          prefix: `${prefix}:${policy.name}`,
          limiter: Ratelimit.slidingWindow(policy.max, `${policy.windowMs} ms`),
          // Its cache blocks a refused key until the window ends, which can be later than
          // the sliding window allows again: Retry-After would no longer be honest.
          ephemeralCache: false,
          timeout: settings.timeoutMs ?? 1000,
          analytics: false,
        }),
        windowMs: policy.windowMs,
        max: policy.max,
      };
      limiters.set(policy.name, l);
    }
    return l;
  };

  return {
    kind: 'upstash',
    async hit(policy, key) {
      const { ratelimit } = limiterOf(policy);
      let res;
      try {
        res = await ratelimit.limit(key);
      } catch (err) {
        logger.warn('rate limiter unreachable: request let through', { policy: policy.name, error: String(err) });
        return ALLOW;
      }
      if (res.reason === 'timeout') {
        logger.warn('rate limiter timed out: request let through', { policy: policy.name });
        return ALLOW;
      }
      const now = Date.now();
      const verdict: Verdict = {
        allowed: res.success,
        limit: policy.max,
        remaining: res.success ? res.remaining : 0,
        resetSeconds: secondsUntil(res.reset, now),
        retryAfterSeconds: 0,
      };
      if (!res.success) verdict.retryAfterSeconds = await retryAfter(policy, key, now);
      return verdict;
    },
    async refund(policy, key) {
      try {
        await limiterOf(policy).ratelimit.limit(key, { rate: -1 });
      } catch (err) {
        logger.warn('rate limiter unreachable: refund lost', { policy: policy.name, error: String(err) });
      }
    },
  };

  /**
   * The library answers a refusal with the end of the current window, but the sliding window
   * may allow a request earlier, or only after that: read the two counters it keeps (only on
   * a refusal) and work it out as the in-process adapter does.
   */
  async function retryAfter(policy: Policy, key: string, now: number): Promise<number> {
    const window = Math.floor(now / policy.windowMs);
    const base = `${prefix}:${policy.name}:${key}`;
    try {
      const [curr, prev] = await redis.mget<(number | string | null)[]>(`${base}:${window}`, `${base}:${window - 1}`);
      return secondsUntil(allowedAt(Number(prev ?? 0), Number(curr ?? 0), policy.max, now, policy.windowMs), now);
    } catch {
      // The end of the next window is always late enough: by then the count has slid out.
      return secondsUntil((window + 2) * policy.windowMs, now);
    }
  }
}
