/**
 * The seed's rate limits through the whole app, on both limiter adapters: the in-process
 * sliding window (with a test clock) and @upstash/ratelimit against a real redis-server behind
 * the Upstash REST stand-in (tests/support/upstash-server.ts), at their exact boundaries.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RATE_LIMITED_MESSAGE } from '../core/http/rate-limit.ts';
import { loadConfig } from '../core/config.ts';
import { checkWorkerRateLimits } from '../hosts/worker-limits.ts';
import { createTestApp } from './support/app.ts';
import { clearOfBoundary } from './support/clear-of-boundary.ts';
import { startUpstashStandIn, type UpstashStandIn } from './support/upstash-server.ts';

let upstash: UpstashStandIn;
beforeAll(async () => {
  upstash = await startUpstashStandIn();
});
afterAll(() => upstash?.close());

const expense = { description: 'Coffee', amount: 3.5, currency: 'USD', category: 'food', date: '2025-05-09' };

describe.each(['memory', 'upstash'] as const)('rate limits, %s adapter', (adapter) => {
  // The in-process limiter runs on a clock the test moves (which still ticks: the app's other
  // timers expect it to); Upstash on the real one.
  let offsetMs = 0;
  const clock = { now: () => new Date(adapter === 'memory' ? Date.now() + offsetMs : Date.now()) };
  beforeEach(async () => {
    // 30 s into a 15-minute window.
    offsetMs = 30_000 - (Date.now() % 900_000);
    // Upstash counts in windows of the real clock (every hour's boundary is a 15-minute one too):
    // a case's exact counts would slide across one.
    if (adapter === 'upstash') await clearOfBoundary(900_000, 10_000);
  });
  const app = (env: Record<string, string> = {}) =>
    createTestApp({
      clock,
      env: {
        RATE_LIMITS: 'on',
        ...(adapter === 'upstash' && { UPSTASH_REDIS_REST_URL: upstash.url, UPSTASH_REDIS_REST_TOKEN: upstash.token }),
        ...env,
      },
    });
  // The test app trusts one proxy: the client is the last entry; the first is what a client could write.
  const octet = () => Math.floor(Math.random() * 250) + 1;
  const address = () => `198.51.100.${octet()}, 10.${octet()}.${octet()}.${octet()}`;
  const from = (xff: string) => ({ 'x-forwarded-for': xff });

  it('uses the adapter it is configured with', async () => {
    const { platform } = await app();
    expect(platform.rateLimits?.limiter.kind).toBe(adapter);
  });

  it('lets 100 expense writes through and refuses the 101st, with the seed message, Retry-After and RateLimit-*', async () => {
    // Only Upstash counts on the real clock; the in-process limiter's starts 30 s into a window.
    if (adapter === 'upstash') await clearOfBoundary(900_000, 30_000);
    const { api } = await app();
    const { token } = await api.register();
    for (let i = 1; i <= 100; i++) {
      const res = await api.post('/api/expenses', expense, token);
      expect(res.status, `write ${i}`).toBe(201);
      expect(res.headers.get('ratelimit-limit')).toBe('100');
      expect(res.headers.get('ratelimit-remaining')).toBe(String(100 - i));
    }
    const refused = await api.post('/api/expenses', expense, token);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ success: false, error: RATE_LIMITED_MESSAGE, code: 'RATE_LIMITED', requestId: expect.any(String) });
    const retry = Number(refused.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(900);
    expect(refused.headers.get('ratelimit-limit')).toBe('100');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-reset')).toBe(String(retry));
    // Nothing was written by the refused request, and reads are another policy.
    const list = await api.get('/api/expenses?limit=200', token);
    expect(list.status).toBe(200);
    expect(list.body.length ?? list.body.data?.length ?? list.body.expenses?.length).toBe(100);
    // Another user has their own count.
    const other = await api.register();
    expect((await api.post('/api/expenses', expense, other.token)).status).toBe(201);
  }, 30_000 + 30_000);

  it('counts only failed sign-in attempts: the sixth attempt after five failures is refused, whoever it names', async () => {
    const { api } = await app();
    const me = from(address());
    const { email } = await api.register();
    // Successful logins give their count back.
    for (let i = 0; i < 8; i++) {
      expect((await api.call('POST', '/api/auth/login', { body: { email, password: 'password123' }, headers: me })).status).toBe(200);
    }
    for (let i = 1; i <= 5; i++) {
      const res = await api.call('POST', '/api/auth/login', { body: { email, password: 'wrong-password' }, headers: me });
      expect(res.status, `failure ${i}`).toBe(401);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(5 - i));
    }
    const sixth = await api.call('POST', '/api/auth/login', { body: { email, password: 'password123' }, headers: me });
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe('RATE_LIMITED');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await api.call('POST', '/api/auth/login', { body: { email, password: 'password123' }, headers: from(address()) })).status).toBe(200);
  });

  it('refuses the receipt upload past the uploads limit, before reading its body', async () => {
    const { app: hono, api, platform } = await app({ RATE_LIMIT_UPLOADS: '3/1h' });
    const { token } = await api.register();
    // A PDF with a text layer: read without the OCR pool, so the case stays quick.
    const pdf = readFileSync(new URL('./fixtures/receipts/e-receipt-text-layer.pdf', import.meta.url));
    const upload = () => {
      const body = new FormData();
      body.set('receipt', new File([pdf], 'order.pdf', { type: 'application/pdf' }));
      return hono.request('/api/receipts', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    };
    for (let i = 1; i <= 3; i++) expect((await upload()).status, `upload ${i}`).toBe(201);
    const refused = await upload();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { code: string }).code).toBe('RATE_LIMITED');
    expect(refused.headers.get('ratelimit-limit')).toBe('3');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api.get('/api/receipts', token)).body).toHaveLength(3);
    await platform.ocr?.stop();
  });

  it('keys the general limit by user when the token is valid, by address otherwise', async () => {
    const { api } = await app({ RATE_LIMIT_GENERAL: '3/15m' });
    const a = from(address());
    const b = from(address());
    const reg = await api.call('POST', '/api/auth/register', { body: { name: 'Key', email: `${randomUUID()}@example.com`, password: 'password123' }, headers: from(address()) });
    const { token } = reg.body;
    for (let i = 0; i < 3; i++) expect((await api.call('GET', '/api/auth/me', { token, headers: i % 2 ? a : b })).status).toBe(200);
    // The same user from a third address: still their count.
    expect((await api.call('GET', '/api/auth/me', { token, headers: from(address()) })).status).toBe(429);
    // Unauthenticated and bad-token requests count against the address, and their 4xx say so.
    for (let i = 1; i <= 3; i++) {
      const res = await api.call('GET', '/api/auth/me', { token: 'not.a.token', headers: a });
      expect(res.status).toBe(401);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(3 - i));
    }
    expect((await api.call('GET', '/api/expenses', { headers: a })).status).toBe(429);
    expect((await api.call('GET', '/api/nothing-here', { headers: b })).status).toBe(404);
  });

  it("counts an API key's requests against its owner; a made-up key against its address", async () => {
    const { api } = await app({ RATE_LIMIT_GENERAL: '4/15m' });
    const reg = await api.call('POST', '/api/auth/register', { body: { name: 'Key', email: `${randomUUID()}@example.com`, password: 'password123' }, headers: from(address()) });
    const { token } = reg.body;
    const made = await api.call('POST', '/api/keys', { token, body: { name: 'k', scopes: ['expenses:read'] }, headers: from(address()) });
    const key = made.body.key as string;
    // The key's creation counted against the user (its token is theirs), from whatever address.
    expect((await api.call('GET', '/api/expenses', { token: key, headers: from(address()) })).headers.get('ratelimit-remaining')).toBe('2');
    expect((await api.call('GET', '/api/expenses', { token: key, headers: from(address()) })).status).toBe(200);
    // Key and token share the owner's count: the fourth request is refused from anywhere.
    expect((await api.call('GET', '/api/keys', { token, headers: from(address()) })).status).toBe(200);
    expect((await api.call('GET', '/api/expenses', { token: key, headers: from(address()) })).status).toBe(429);
    const a = from(address());
    const unknown = await api.call('GET', '/api/expenses', { token: 'ef_live_madeup', headers: a });
    expect(unknown).toMatchObject({ status: 401, body: { code: 'INVALID_API_KEY' } });
    expect(unknown.headers.get('ratelimit-remaining')).toBe('3');
  });

  it('answers with an honest Retry-After: not allowed a second before it, allowed once it has passed', async () => {
    if (adapter === 'memory') {
      const { api } = await app();
      const { token } = await api.register();
      for (let i = 0; i < 100; i++) await api.post('/api/expenses', expense, token);
      // Half a window on, the first window's writes still count in full while it lasts.
      offsetMs += 600_000;
      const refused = await api.post('/api/expenses', expense, token);
      expect(refused.status).toBe(429);
      const retry = Number(refused.headers.get('retry-after'));
      offsetMs += (retry - 1) * 1000;
      expect((await api.post('/api/expenses', expense, token)).status).toBe(429);
      offsetMs += 1000;
      expect((await api.post('/api/expenses', expense, token)).status).toBe(201);
    } else {
      // A window long enough that the four requests fit in one even on a busy machine.
      await clearOfBoundary(8000, 6000);
      const { api } = await app({ RATE_LIMIT_EXPENSE_WRITES: '3/8s' });
      const { token } = await api.register();
      for (let i = 0; i < 3; i++) expect((await api.post('/api/expenses', expense, token)).status).toBe(201);
      const refused = await api.post('/api/expenses', expense, token);
      expect(refused.status).toBe(429);
      const retry = Number(refused.headers.get('retry-after'));
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(16);
      await new Promise((r) => setTimeout(r, retry * 1000));
      expect((await api.post('/api/expenses', expense, token)).status).toBe(201);
    }
  }, 30_000 + 6_000);
});

describe('rate limits off', () => {
  it('sends no RateLimit-* headers and never refuses', async () => {
    const { api, platform } = await createTestApp({ env: { RATE_LIMITS: 'off', RATE_LIMIT_GENERAL: '1/1m' } });
    expect(platform.rateLimits).toBeNull();
    const { token } = await api.register();
    const res = await api.get('/api/auth/me', token);
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit-limit')).toBeNull();
  });

  it('lets a browser read the headers', async () => {
    const { api } = await createTestApp({ env: { RATE_LIMITS: 'on' } });
    const res = await api.call('GET', '/api/expenses', { headers: { origin: 'http://localhost:3000', 'x-forwarded-for': '203.0.113.9' } });
    expect(res.headers.get('access-control-expose-headers')).toMatch(/RateLimit-Remaining/);
  });
});

describe('the Worker host', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'http://127.0.0.1:2', JWT_SECRET: 'x'.repeat(32) };
  it('refuses to start in production without Upstash, naming the two settings (an isolate cannot count alone)', () => {
    expect(() => checkWorkerRateLimits(loadConfig(production))).toThrow(
      /UPSTASH_REDIS_REST_URL, UPSTASH_REDIS_REST_TOKEN: are required on Workers in production/,
    );
    expect(() => checkWorkerRateLimits(loadConfig({ ...production, RATE_LIMITS: 'off' }))).not.toThrow();
    expect(() => checkWorkerRateLimits(loadConfig({ ...production, UPSTASH_REDIS_REST_URL: 'https://x.upstash.io', UPSTASH_REDIS_REST_TOKEN: 't' }))).not.toThrow();
    expect(() => checkWorkerRateLimits(loadConfig({ ...production, NODE_ENV: 'development' }))).not.toThrow();
  });
});
