import type { Context } from 'hono';
import type { HeaderList } from './headers.ts';
import { secureHeaders } from 'hono/secure-headers';

type SecureHeadersOptions = Parameters<typeof secureHeaders>[0];

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

/**
 * Hono's secure headers (and `Cache-Control: no-store`) as a list, to set before the handler
 * through `setHeaders` rather than written into the finished response one `Headers.set` each,
 * as Hono's middleware does. The names and values stay Hono's: they are read once from its own
 * middleware (`ready`; `list` once it has).
 */
export function secureHeaderList(options?: SecureHeadersOptions): { list: HeaderList | undefined; ready: Promise<HeaderList> } {
  const collected = new Headers();
  const fake = { res: { headers: collected }, req: {} } as unknown as Context;
  const kept = {
    list: undefined as HeaderList | undefined,
    ready: secureHeaders(options)(fake, async () => {}).then((): HeaderList => (kept.list = [...collected, ['Cache-Control', 'no-store']])),
  };
  return kept;
}
