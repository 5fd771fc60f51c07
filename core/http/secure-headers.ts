import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

type SecureHeadersOptions = Parameters<typeof secureHeaders>[0];

/**
 * Hono's secure headers, set before the handler rather than after it. Hono's middleware writes
 * them into the finished response, one `Headers.set` each; ours hands the same list to `c.header`
 * before `next()`, so they go into the response as it is built (measured with `npm run bench`:
 * part of what made an unauthenticated 404 cost three times a bare server's answer).
 * The names and values stay Hono's: they are read once from its own middleware.
 */
/**
 * What an API answer needs (OWASP REST Security Cheat Sheet, "Security headers"): no sniffing,
 * no framing, HTTPS only, no caching of personal data, no cross-origin embedding. Hono's other
 * defaults concern HTML documents (COOP, Origin-Agent-Cluster, Referrer-Policy, DNS prefetch,
 * IE and Flash switches, X-XSS-Protection) and only cost bytes on JSON; `/docs`, the one HTML
 * page, sets its own policy.
 */
export const apiSecureHeaders: SecureHeadersOptions = {
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xFrameOptions: 'DENY',
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

export function presetSecureHeaders(options?: SecureHeadersOptions): MiddlewareHandler {
  const collected = new Headers();
  const fake = { res: { headers: collected }, req: {} } as unknown as Context;
  let list: [string, string][] | undefined;
  const ready = secureHeaders(options)(fake, async () => {}).then(() => (list = [...collected]));
  return async function presetSecureHeaders(c, next) {
    for (const [name, value] of list ?? (await ready)) c.header(name, value);
    c.header('Cache-Control', 'no-store');
    await next();
  };
}
