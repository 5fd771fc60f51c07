import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { AppError } from './http/errors.ts';
import type { AppEnv } from './platform.ts';

/**
 * The Scalar browser bundle (`@scalar/api-reference` `dist/browser/standalone.js`), as the host
 * has it: read from node_modules on Node and Deno, from Workers Static Assets on Workers.
 * Only the body is used; the docs route sets the headers itself, the same on every host.
 */
export type DocsScript = () => Promise<Response>;

/** Where the page loads the bundle from: this origin, so /docs works offline. */
export const DOCS_SCRIPT_PATH = '/docs/scalar.js';

/**
 * The page's own policy, stricter than the app-wide secure headers: everything from this origin,
 * and the one inline init script only with this response's nonce.
 */
const docsPolicy = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'", NONCE],
    // 'unsafe-inline' because the reference sets style="…" attributes and adds <style> elements
    // at run time (theme, component styles) that carry no nonce; a nonce here would switch
    // 'unsafe-inline' off in browsers. Scripts stay nonce-only.
    styleSrc: ["'self'", "'unsafe-inline'"],
    fontSrc: ["'self'"],
    // The document, and "Test Request" calls to this API (its servers entry is '/').
    connectSrc: ["'self'"],
    // Icons and logos drawn as data: SVG in the bundle's CSS.
    imgSrc: ["'self'", 'data:'],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
});

/** `/docs` (the Scalar API reference of `/openapi.json`) and the bundle it runs, both same-origin. */
export function docsRoutes(script: DocsScript) {
  const docs = new Hono<AppEnv>();
  docs.get(
    '/',
    docsPolicy,
    Scalar((c) => ({
      url: '/openapi.json',
      pageTitle: 'ExpenseFlow API',
      cdn: DOCS_SCRIPT_PATH,
      // Set by NONCE in docsPolicy above; Scalar puts it on its <script> and <style> tags.
      nonce: c.get('secureHeadersNonce'),
      // The default fonts come from fonts.scalar.com; without them the page uses system fonts.
      withDefaultFonts: false,
      // Features served by scalar.com ("Ask AI", "Generate MCP", telemetry): off, as the CSP blocks them.
      agent: { disabled: true },
      mcp: { disabled: true },
      telemetry: false,
    })),
  );
  docs.get('/scalar.js', async (c) => {
    const res = await script();
    if (!res.ok || !res.body) throw new AppError('INTERNAL', `docs script unavailable (${res.status})`);
    return c.body(res.body, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      // No version in the URL: a day's cache, so an upgrade reaches browsers by the next day.
      'cache-control': 'public, max-age=86400',
    });
  });
  return docs;
}
