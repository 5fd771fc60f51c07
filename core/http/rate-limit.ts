import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import { apiKeyOf, isApiKeySecret } from '../auth/api-keys.ts';
import { verifiedBefore, verifyToken } from '../auth/jwt.ts';
import type { AppEnv, Platform } from '../platform.ts';
import type { Policy, PolicyName, Verdict } from '../rate-limit/index.ts';
import { AppError } from './errors.ts';

/** There is no sentence in the seed: this is what its Express rate limiter answered by default. */
export const RATE_LIMITED_MESSAGE = 'Too many requests, please try again later.';

function tooMany(v: Verdict): AppError {
  const retry = String(v.retryAfterSeconds);
  return new AppError('RATE_LIMITED', RATE_LIMITED_MESSAGE, undefined, {
    'Retry-After': retry,
    'RateLimit-Limit': String(v.limit),
    'RateLimit-Remaining': '0',
    // On a refusal the quota comes back (one request's worth) when Retry-After says.
    'RateLimit-Reset': retry,
  });
}

// Through the host's way of setting headers (core/http/headers.ts): c.header costs more on Node.
function announce(c: Context, platform: Platform, v: Verdict) {
  platform.setHeaders(c, [
    ['RateLimit-Limit', String(v.limit)],
    ['RateLimit-Remaining', String(v.remaining)],
    ['RateLimit-Reset', String(v.resetSeconds)],
  ]);
}

const bearer = /^Bearer\s+(\S+)$/i;
const UNKNOWN = 'unknown';

/**
 * Who a request counts against: its token's user when the token verifies, or its API key's
 * owner when the key exists (a made-up key must not buy a fresh count), else its address.
 */
async function requester(c: Context<AppEnv>, platform: Platform): Promise<string> {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const m = bearer.exec(header);
    if (m && isApiKeySecret(m[1]!)) {
      // Read once per request (core/auth/api-keys.ts): requireAuth's own look-up gets the same answer.
      const key = await apiKeyOf(c.req.raw, platform.db, m[1]!).catch(() => null);
      if (key) return key.user.id;
    } else if (m) {
      // A verification is remembered (core/auth/jwt.ts): requireAuth's own is then a map lookup.
      const secret = platform.config.JWT_SECRET;
      const claims =
        verifiedBefore(m[1]!, secret) ??
        (await verifyToken(m[1]!, secret).then(
          (c) => c,
          () => undefined,
        ));
      if (claims !== undefined) return claims.sub;
    }
  }
  return platform.clientAddress(c) ?? UNKNOWN;
}

const pass: MiddlewareHandler = (_c, next) => next();

/**
 * The general policy, for every /api request. Before authentication: a request with a valid
 * token counts against its user (wherever they connect from), any other against its address.
 */
export function generalRateLimit(platform: Platform): MiddlewareHandler<AppEnv> {
  const limits = platform.rateLimits;
  if (!limits) return pass;
  const { limiter, policies } = limits;
  const policy = policies.general;
  return async function generalRateLimit(c, next) {
    const key = await requester(c, platform);
    let v = limiter.hit(policy, key);
    if (v instanceof Promise) v = await v;
    if (!v.allowed) throw tooMany(v);
    announce(c, platform, v);
    return next();
  };
}

export interface RateLimitOptions {
  /**
   * `failures`: only answers of 4xx count (a login that succeeds gives its count back). The
   * count is taken before the handler runs, so attempts sent at once cannot all slip through.
   */
  count?: 'all' | 'failures';
}

/**
 * A route's own policy, on top of the general one: after requireAuth it counts against the
 * user, on public routes against the address. Its headers replace the general ones (it is
 * the tighter of the two).
 */
export const rateLimit = (name: PolicyName, { count = 'all' }: RateLimitOptions = {}) => {
  const middleware = createMiddleware<AppEnv>(async function rateLimit(c, next) {
    const platform = c.get('platform');
    const limits = platform.rateLimits;
    if (!limits) return next();
    const policy: Policy = limits.policies[name];
    const user = (c.get('user' as never) as { id: string } | undefined);
    const key = user?.id ?? platform.clientAddress(c) ?? UNKNOWN;
    let v = limits.limiter.hit(policy, key);
    if (v instanceof Promise) v = await v;
    if (!v.allowed) throw tooMany(v);
    announce(c, platform, v);
    const remaining = v.remaining;
    await next();
    const status = c.res.status;
    if (count === 'failures' && (status < 400 || status >= 500)) {
      await limits.limiter.refund(policy, key);
      c.res.headers.set('RateLimit-Remaining', String(remaining + 1));
    }
  });
  // Read by the document (core/http/rate-limit-doc.ts): each operation names its own limits.
  return Object.assign(middleware, { rateLimitPolicy: name });
};
