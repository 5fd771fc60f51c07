import { describe, expect, it } from 'vitest';
import { createTestApp } from '../tests/support/app.ts';
import { expectDocsWorkOffline } from '../tests/support/docs-page.ts';

describe('/docs', async () => {
  const { app } = await createTestApp();
  const origin = 'http://localhost';
  const get = async (path: string) => app.request(`${origin}${path}`);

  it('loads everything it needs from this origin, under a CSP that allows nothing else', async () => {
    await expectDocsWorkOffline(get, origin);
  });

  it('uses a new script nonce on every load', async () => {
    const first = await expectDocsWorkOffline(get, origin);
    const second = await expectDocsWorkOffline(get, origin);
    expect(second.nonce).not.toBe(first.nonce);
  });

  it('serves the bundle as JavaScript that browsers may cache', async () => {
    const res = await get('/docs/scalar.js');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
