import { describe, expect, it } from 'vitest';
import { SCOPES } from '../core/auth/scopes.ts';
import { createTestApp } from './support/app.ts';

// Account management takes a user's token only: the user, sessions, two-factor, the keys
// themselves, the device sync of the apps and the development outbox.
const USER_ONLY = [/^\/api\/auth\//, /^\/api\/audit(\/|$)/, /^\/api\/keys(\/|$)/, /^\/api\/sync\//, /^\/api\/dev\//];

type Operation = { security?: Record<string, string[]>[] };

describe('API key scopes', async () => {
  const { api } = await createTestApp({ ocr: null });
  const doc = (await api.get('/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op.security?.some((r) => 'bearerAuth' in r))
      .map(([method, op]) => ({ method, path, scope: op.security!.find((r) => 'apiKey' in r)?.apiKey?.[0] })),
  );

  it('declares a scope on every authenticated /api route but the user-only ones, and none on those', () => {
    expect(operations.length).toBeGreaterThan(60);
    const unscoped = operations.filter((o) => !o.scope && !USER_ONLY.some((re) => re.test(o.path)));
    expect(unscoped.map((o) => `${o.method} ${o.path}`)).toEqual([]);
    const scopedUserOnly = operations.filter((o) => o.scope && USER_ONLY.some((re) => re.test(o.path)));
    expect(scopedUserOnly.map((o) => `${o.method} ${o.path}`)).toEqual([]);
  });

  it('lets each scope call exactly the routes that declare it; every key is refused on user-only routes', async () => {
    const user = await api.register();
    // An id that names nothing: an allowed route answers 404 (or 400), never the scope's 403.
    const nothing = '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f';
    const wrong: string[] = [];
    for (const scope of SCOPES) {
      const { key } = (await api.post('/api/keys', { name: scope, scopes: [scope] }, user.token)).body as { key: string };
      for (const op of operations) {
        const path = op.path.replace(/\{[^}]+\}/g, op.path.includes('/spending/') ? 'month' : nothing);
        const res = await api.call(op.method.toUpperCase(), path, { token: key, ...(op.method === 'get' ? {} : { body: {} }) });
        const expected = !op.scope ? 'API_KEY_NOT_ALLOWED' : op.scope === scope ? null : 'MISSING_SCOPE';
        const got = res.status === 403 && ['API_KEY_NOT_ALLOWED', 'MISSING_SCOPE'].includes(res.body?.code) ? res.body.code : null;
        if (got !== expected || (got === 'MISSING_SCOPE' && res.body.details[0].message !== op.scope)) {
          wrong.push(`${scope} on ${op.method} ${op.path}: ${res.status} ${res.body?.code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
