import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

type SecureHeadersOptions = Parameters<typeof secureHeaders>[0];
export type HeaderList = readonly (readonly [name: string, value: string])[];

/**
 * How headers that every answer carries reach it, set before the handler runs. By default
 * through `c.header`. A host may write them more cheaply itself: any `c.header` makes Hono
 * build a Fetch `Headers` for the response, which @hono/node-server then converts back to a
 * record (measured: the secure headers and the request id through `c.header` took a third of
 * a `/health` answer's CPU on Node). A header the handler sets itself wins over a preset one.
 */
export type PresetHeaders = (c: Context, headers: HeaderList) => void;

export const presetThroughContext: PresetHeaders = (c, headers) => {
  for (const [name, value] of headers) c.header(name, value);
};

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
 * Hono's secure headers (and `Cache-Control: no-store`), set before the handler through
 * `preset` rather than written into the finished response one `Headers.set` each, as Hono's
 * middleware does. The names and values stay Hono's: they are read once from its own middleware.
 */
export function presetSecureHeaders(options?: SecureHeadersOptions, preset: PresetHeaders = presetThroughContext): MiddlewareHandler {
  const collected = new Headers();
  const fake = { res: { headers: collected }, req: {} } as unknown as Context;
  let list: HeaderList | undefined;
  const ready = secureHeaders(options)(fake, async () => {}).then(() => (list = [...collected, ['Cache-Control', 'no-store']]));
  return async function presetSecureHeaders(c, next) {
    preset(c, list ?? (await ready));
    await next();
  };
}
