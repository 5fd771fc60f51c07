import { ConfigError, type Config } from '../core/config.ts';
import { upstashConfigured } from '../core/rate-limit/index.ts';

/**
 * The Worker's own rule for rate limits: an isolate's memory is not a count (Cloudflare runs
 * many isolates and recycles them), so the in-process limiter would let through many times
 * the limit. In production the Worker needs Upstash, unless limits are off; `wrangler dev` may
 * count in its one isolate. Apart from hosts/worker.ts so that Node can test it.
 */
export function checkWorkerRateLimits(config: Config) {
  if (config.NODE_ENV === 'production' && config.RATE_LIMITS === 'on' && !upstashConfigured(config)) {
    throw new ConfigError(
      'Invalid configuration:\n  UPSTASH_REDIS_REST_URL, UPSTASH_REDIS_REST_TOKEN: are required on Workers in production (rate limits need one count for every isolate), unless RATE_LIMITS=off',
    );
  }
}
