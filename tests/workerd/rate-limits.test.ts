/**
 * Rate limits on the edge host: the Worker inside workerd, in production mode, counting in
 * Upstash (a real redis-server behind the REST stand-in of the global setup), keyed by
 * CF-Connecting-IP or the user. The seed's policies, at their exact boundaries.
 */
import { describe, expect, it } from 'vitest';
import { clearOfBoundary } from '../support/clear-of-boundary.ts';
import { workerApi } from './worker-api.ts';

const api = workerApi();
const address = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
const expense = { description: 'Tea', amount: 2, currency: 'USD', category: 'food', date: '2025-05-09' };

describe('rate limits in workerd, on Upstash', () => {
  it('refuses the 101st expense write of a user, with Retry-After and RateLimit-*', async () => {
    // Under CI's load the 101 writes have taken up to 22 s here: start 45 s or more before a window ends.
    await clearOfBoundary(900_000, 45_000);
    const { token } = await api.register();
    for (let i = 1; i <= 100; i++) {
      const res = await api.post('/api/expenses', expense, token);
      expect(res.status, `write ${i}`).toBe(201);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(100 - i));
    }
    const refused = await api.post('/api/expenses', expense, token);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ success: false, code: 'RATE_LIMITED', error: 'Too many requests, please try again later.' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-limit')).toBe('100');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
  }, 120_000);

  it('counts failed sign-ins per CF-Connecting-IP: the sixth attempt is refused', async () => {
    // Counted in Upstash's 15-minute windows on the real clock, as the case above.
    await clearOfBoundary(900_000, 10_000);
    const ip = address();
    const { email } = await api.register();
    const login = (password: string, from = ip) =>
      api.call('POST', '/api/auth/login', { body: { email, password }, headers: { 'cf-connecting-ip': from } });
    expect((await login('password123')).status).toBe(200);
    for (let i = 1; i <= 5; i++) expect((await login('wrong-password')).status, `failure ${i}`).toBe(401);
    const sixth = await login('password123');
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await login('password123', address())).status).toBe(200);
  }, 30_000 + 10_000);
});
