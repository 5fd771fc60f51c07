/**
 * Rate limits on each host as a user starts it: the client is the socket's address on Node
 * and Deno (X-Forwarded-For only with TRUST_PROXY) and CF-Connecting-IP on the Worker, which
 * `wrangler dev` sets to the connecting address as Cloudflare's edge does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient } from '../support/api-client.ts';
import { clearOfBoundary } from '../support/clear-of-boundary.ts';
import { hostName, startServer } from './server.ts';

type Server = Awaited<ReturnType<typeof startServer>>;
const expense = { description: 'Bus', amount: 2.8, currency: 'EUR', category: 'food', date: '2025-05-09' };
const limits = { RATE_LIMITS: 'on', RATE_LIMIT_AUTH: '3/15m', RATE_LIMIT_EXPENSE_WRITES: '5/15m' };

describe('rate limits', () => {
  let server: Server;
  let api: ReturnType<typeof httpClient>;
  beforeAll(async () => {
    server = await startServer(limits);
    api = httpClient(server.baseUrl);
    // The cases count to a 15-minute policy's exact limit: none may straddle a window's end.
    await clearOfBoundary(900_000, 15_000);
  });
  afterAll(() => server?.stop());

  it('refuses the write past the limit with 429, Retry-After and RateLimit-*', async () => {
    const { token } = await api.register();
    for (let i = 1; i <= 5; i++) {
      const res = await api.post('/api/expenses', expense, token);
      expect(res.status, `write ${i}`).toBe(201);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(5 - i));
    }
    const refused = await api.post('/api/expenses', expense, token);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ success: false, code: 'RATE_LIMITED', error: 'Too many requests, please try again later.' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-limit')).toBe('5');
  });

  it('counts failed sign-ins against the connecting address, whatever X-Forwarded-For says', async () => {
    const { email } = await api.register();
    const login = (password: string, xff: string) => api.call('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': xff } });
    for (let i = 1; i <= 3; i++) expect((await login('wrong-password', `198.51.100.${i}`)).status).toBe(401);
    const refused = await login('password123', '198.51.100.99');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe.runIf(hostName !== 'worker')('behind a trusted proxy (TRUST_PROXY=1)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer({ ...limits, TRUST_PROXY: '1' });
    await clearOfBoundary(900_000, 15_000);
  });
  afterAll(() => server?.stop());

  it('takes the client from X-Forwarded-For: each address has its own count', async () => {
    const api = httpClient(server.baseUrl);
    const { email } = await api.register();
    // The proxy appends the address it saw; what a client wrote itself stays to the left.
    const login = (password: string, client: string) =>
      api.call('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': `10.9.9.9, ${client}` } });
    for (let i = 1; i <= 3; i++) expect((await login('wrong-password', '192.0.2.10')).status).toBe(401);
    expect((await login('password123', '192.0.2.10')).status).toBe(429);
    expect((await login('password123', '192.0.2.11')).status).toBe(200);
  });
});
