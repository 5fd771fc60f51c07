/**
 * Security events and the audit trail on each host's real process: the account lockout (the
 * same answer as a wrong password and an unknown email, over after its window), the security
 * page, a refused token on it, and GET /api/audit showing a write's before and after, sealed.
 */
import { describe, expect, it, vi } from 'vitest';
import { useServer } from './server.ts';

// A short window, so the end of a lock is seen within the case (the default is 10/15m); long
// enough that ten sign-ins hashed at once on a loaded 2-core machine all fall within it (at the
// suite's hash cost, tests/support/hash-cost.ts).
const WINDOW_S = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('security events and the audit trail', () => {
  const { api } = useServer({ LOCKOUT_ACCOUNT: `10/${WINDOW_S}s` });

  const login = (email: string, password: string, agent = 'e2e-agent') =>
    api.call('POST', '/api/auth/login', { body: { email, password }, headers: { 'user-agent': agent } });
  const withoutId = ({ requestId: _, ...rest }: Record<string, unknown>) => rest;

  it('locks an account after 10 failures, answering exactly as a wrong password and an unknown email, until the window is over', async () => {
    const { email } = await api.register();
    // At once: all ten fall well within the window on every host.
    const failures = await Promise.all(Array.from({ length: 10 }, () => login(email, 'wrong-password')));
    expect(failures.map((f) => f.status)).toEqual(Array(10).fill(401));
    const lockedAt = Date.now();
    const wrong = failures[0]!;
    const locked = await login(email, 'password123');
    const unknown = await login(`nobody-${Date.now()}@example.com`, 'password123');
    expect(locked.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(withoutId(locked.body)).toEqual(withoutId(wrong.body));
    expect(withoutId(unknown.body)).toEqual(withoutId(wrong.body));
    expect(withoutId(wrong.body)).toEqual({ success: false, error: 'Invalid email or password', code: 'INVALID_CREDENTIALS' });
    await sleep(lockedAt + (WINDOW_S + 1) * 1000 - Date.now());
    const after = await login(email, 'password123');
    expect(after.status).toBe(200);
    expect(after.body.token).toEqual(expect.any(String));
  });

  it('shows sign-ins with their device (a new one flagged), sessions and failures, a refused token among them', async () => {
    const { email, token } = await api.register();
    const phone = await login(email, 'password123', 'ExpenseFlow-iOS/2.1 (iPhone)');
    expect(phone.status).toBe(200);
    await login(email, 'not-the-password', 'curl/8.5.0');
    await api.post('/api/auth/logout', undefined, phone.body.token);
    expect((await api.get('/api/auth/me', phone.body.token)).body.code).toBe('SESSION_REVOKED');
    // Refusals are recorded off the answer's path: the page shows them a moment later.
    await vi.waitFor(
      async () => {
        const page = await api.get('/api/auth/security', token);
        expect(page.status).toBe(200);
        expect(page.body.signIns.map((s: { deviceName: string; newDevice: boolean }) => [s.deviceName, s.newDevice])).toEqual([
          ['iPhone', true],
          [expect.any(String), false],
        ]);
        expect(page.body.signIns[0]).toMatchObject({ userAgent: 'ExpenseFlow-iOS/2.1 (iPhone)', at: expect.any(String) });
        expect(page.body.sessions).toHaveLength(1);
        expect(page.body.failures.map((f: { type: string; reason: string }) => [f.type, f.reason])).toEqual([
          ['token_refused', 'SESSION_REVOKED GET /api/auth/me'],
          ['login_failed', 'password'],
        ]);
      },
      { timeout: 5000, interval: 200 },
    );
  });

  it("GET /api/audit shows a write's fields before and after, with its request id, sealed into the chain", async () => {
    const { token } = await api.register();
    const created = await api.post('/api/expenses', { description: 'Train', amount: 12.5, currency: 'EUR', category: 'transport', date: '2025-05-09' }, token);
    expect(created.status).toBe(201);
    const updated = await api.call('PUT', `/api/expenses/${created.body._id}`, { token, body: { description: 'Night train', amount: 80 }, headers: { 'x-request-id': 'e2e-audit-update' } });
    expect(updated.status).toBe(200);
    await vi.waitFor(
      async () => {
        const res = await api.get('/api/audit?limit=10', token);
        expect(res.status).toBe(200);
        const entry = res.body.entries.find((e: { requestId: string }) => e.requestId === 'e2e-audit-update');
        expect(entry).toMatchObject({
          entity: 'expense',
          entityId: created.body._id,
          op: 'UPDATE',
          before: { description: 'Train', amount_minor: 1250 },
          after: { description: 'Night train', amount_minor: 8000 },
          sealed: true,
        });
      },
      { timeout: 5000, interval: 200 },
    );
  });
});
