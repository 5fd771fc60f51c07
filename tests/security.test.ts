import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTestApp, TEST_SECRET } from './support/app.ts';

/**
 * The common auth cases, run against every operation the OpenAPI document marks as needing
 * a token: so a route added tomorrow is covered without anyone remembering to.
 */
describe('every authenticated route', async () => {
  const { api } = await createTestApp();
  const { id } = await api.register();
  const doc = (await api.get('/openapi.json')).body;
  const key = new TextEncoder().encode(TEST_SECRET);
  const sign = (claims: { iss?: string; aud?: string; exp: number }, secret = key) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(id)
      .setIssuer(claims.iss ?? 'expenseflow')
      .setAudience(claims.aud ?? 'expenseflow-api')
      .setIssuedAt(claims.exp - 3600)
      .setExpirationTime(claims.exp)
      .sign(secret);
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ sub: id, iss: 'expenseflow', aud: 'expenseflow-api', exp: now + 3600 })).toString('base64url');

  const tokens: [string, string | undefined, string][] = [
    ['no token', undefined, 'NO_TOKEN'],
    ['a malformed token', 'not.a.jwt', 'INVALID_TOKEN'],
    ['an expired token', await sign({ exp: now - 60 }), 'TOKEN_EXPIRED'],
    ['a token signed with another secret', await sign({ exp: now + 3600 }, new TextEncoder().encode('x'.repeat(40))), 'INVALID_TOKEN'],
    ['a token for another audience', await sign({ exp: now + 3600, aud: 'someone-else' }), 'INVALID_TOKEN'],
    ['an unsigned (alg none) token', `${header}.${payload}.`, 'INVALID_TOKEN'],
  ];

  // The user's bearer token; the OCR worker's own secret is tested with its routes (plugins/receipts).
  const operations = Object.entries(doc.paths as Record<string, Record<string, { security?: Record<string, unknown>[] }>>).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op.security?.some((scheme) => 'bearerAuth' in scheme))
      .map(([method, op]) => ({ method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, '019a0000-0000-7000-8000-000000000000'), op })),
  );

  it('there are such routes', () => expect(operations.length).toBeGreaterThanOrEqual(10));

  for (const [what, token, code] of tokens) {
    it(`refuses ${what} with 401 ${code}`, async () => {
      for (const { method, path } of operations) {
        const res = await api.call(method, path, { token, body: ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body, `${method} ${path}`).toMatchObject({ success: false, code });
      }
    });
  }

  it("keeps the seed's message for a missing token", async () => {
    expect((await api.get('/api/expenses')).body.error).toBe('No token provided');
  });
});
