import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { apiSecureHeaders, secureHeaderList } from './secure-headers.ts';

const headerList = (res: Response) => [...res.headers].filter(([name]) => name !== 'content-type' && name !== 'content-length');

describe('secureHeaderList', () => {
  it('sends exactly the headers Hono secureHeaders sends', async () => {
    const hono = new Hono().use(secureHeaders(apiSecureHeaders)).get('/', (c) => c.json({ ok: true }));
    const expected = headerList(await hono.request('/'));
    expect(expected.length).toBeGreaterThan(3);
    const ours = (await secureHeaderList(apiSecureHeaders).ready).map(([name, value]) => [name.toLowerCase(), value] as const);
    expect(new Map(ours)).toEqual(new Map([...expected, ['cache-control', 'no-store']]));
  });

  it('are on every answer of the app: found, not found, refused, failed validation', async () => {
    const { app, api } = await createTestApp();
    const expected: [string, string][] = [
      ...headerList(await new Hono().use(secureHeaders(apiSecureHeaders)).get('/', (c) => c.body(null)).request('/')),
      ['cache-control', 'no-store'],
    ];
    for (const [method, path] of [
      ['GET', '/health'],
      ['GET', '/api/no-such-route'],
      ['GET', '/api/expenses'],
      ['POST', '/api/auth/login'],
    ] as const) {
      const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      const got = new Map(res.headers);
      for (const [name, value] of expected) expect([path, name, got.get(name)]).toEqual([path, name, value]);
    }
    // Without an Origin there is no CORS answer, but caches still learn that one would differ.
    const plain = await api.call('GET', '/api/no-such-route');
    expect(plain.headers.get('vary')).toBe('Origin');
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });
});
