/**
 * /docs on the edge host: the page from the Worker, its script from Workers Static Assets
 * (the [assets] folder of wrangler.toml) through the ASSETS binding, nothing from elsewhere.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { expectDocsWorkOffline } from '../support/docs-page.ts';

const origin = 'http://example.com';
const get = (path: string) => exports.default.fetch(new Request(`${origin}${path}`));

describe('/docs on the Worker', () => {
  it('serves the page, its script and its document from the same origin', async () => {
    await expectDocsWorkOffline(get, origin);
  });

  it('hands out only the bundle from the assets folder, not its other files', async () => {
    for (const path of ['/standalone.js', '/standalone.js.map', '/docs/standalone.js']) {
      expect((await get(path)).status, path).toBe(404);
    }
  });
});
