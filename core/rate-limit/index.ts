import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { RateLimiter } from './limiter.ts';
import { createMemoryLimiter } from './memory.ts';
import type { Policy, PolicyName } from './policies.ts';
import { createUpstashLimiter } from './upstash.ts';

export type { RateLimiter, Verdict } from './limiter.ts';
export type { Policy, PolicyName } from './policies.ts';

export interface RateLimits {
  limiter: RateLimiter;
  policies: Record<PolicyName, Policy>;
}

/** True when the configuration names an Upstash database for the limits. */
export const upstashConfigured = (config: Config) => config.UPSTASH_REDIS_REST_URL !== undefined && config.UPSTASH_REDIS_REST_TOKEN !== undefined;

/**
 * The limits of this configuration: none with RATE_LIMITS=off; Upstash when it is configured;
 * else the in-process sliding window (each host decides whether that is good enough for it).
 */
export function createRateLimits(config: Config, logger: Logger, now?: () => number): RateLimits | null {
  if (config.RATE_LIMITS === 'off') return null;
  const limiter = upstashConfigured(config)
    ? createUpstashLimiter({ url: config.UPSTASH_REDIS_REST_URL!, token: config.UPSTASH_REDIS_REST_TOKEN! }, logger)
    : createMemoryLimiter(now);
  return {
    limiter,
    policies: {
      general: config.RATE_LIMIT_GENERAL,
      auth: config.RATE_LIMIT_AUTH,
      expenseWrites: config.RATE_LIMIT_EXPENSE_WRITES,
      uploads: config.RATE_LIMIT_UPLOADS,
    },
  };
}
