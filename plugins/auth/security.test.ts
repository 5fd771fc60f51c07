import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import type { DomainEvents } from '../../core/events.ts';
import { securityEvents } from '../../core/security/tables.ts';
import { createTestApp } from '../../tests/support/app.ts';

const MINUTE = 60_000;

describe('sign-in lockout', async () => {
  let nowMs = Date.now();
  const { api, platform } = await createTestApp({ ocr: null, clock: { now: () => new Date(nowMs) }, env: { LOCKOUT_ADDRESS: '30/1h' } });
  let address = 0;
  // Each case signs in from an address of its own: the address-wide count is a case of its own.
  const from = () => `198.51.100.${++address}`;
  const login = (email: string, password: string, ip: string, agent = 'test-agent') =>
    api.call('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': ip, 'user-agent': agent } });
  const withoutId = ({ requestId: _, ...rest }: Record<string, unknown>) => rest;

  it('locks an account after 10 failures in 15 minutes, answering as a wrong password and an unknown email do', async () => {
    const { email } = await api.register();
    const ip = from();
    const wrong = await login(email, 'wrong-password', ip);
    for (let i = 1; i < 10; i++) expect((await login(email, 'wrong-password', ip)).status).toBe(401);
    const locked = await login(email, 'password123', ip);
    const unknown = await login('nobody-here@example.com', 'password123', ip);
    expect(locked.status).toBe(401);
    expect(withoutId(locked.body)).toEqual(withoutId(wrong.body));
    expect(withoutId(unknown.body)).toEqual(withoutId(wrong.body));
    expect([...locked.headers.keys()].sort()).toEqual([...wrong.headers.keys()].sort());
    // An attempt while locked does not extend the lock: 15 minutes after the 10th failure, the password works.
    nowMs += 10 * MINUTE;
    expect((await login(email, 'password123', ip)).status).toBe(401);
    nowMs += 5 * MINUTE + 1000;
    expect((await login(email, 'password123', ip)).status).toBe(200);
  });

  it('counts only failures within the window, and none from before the last lock', async () => {
    const { email } = await api.register();
    const ip = from();
    for (let i = 0; i < 9; i++) await login(email, 'wrong-password', ip);
    nowMs += 16 * MINUTE;
    // The nine are out of the window: nine more do not lock either.
    for (let i = 0; i < 9; i++) await login(email, 'wrong-password', ip);
    expect((await login(email, 'password123', ip)).status).toBe(200);
    await login(email, 'wrong-password', ip); // the tenth within 15 minutes: locked now
    expect((await login(email, 'password123', ip)).status).toBe(401);
    nowMs += 15 * MINUTE + 1000;
    // After the lock, one failure is one failure, not the eleventh.
    await login(email, 'wrong-password', ip);
    expect((await login(email, 'password123', ip)).status).toBe(200);
  });

  it('refuses an address with too many failures across accounts for one window, with Retry-After', async () => {
    const ip = from();
    const { email } = await api.register();
    for (let i = 0; i < 30; i++) expect((await login(`stranger-${i}@example.com`, 'password123', ip)).status).toBe(401);
    const refused = await login(email, 'password123', ip);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('TOO_MANY_FAILED_LOGINS');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect((await login(email, 'password123', from())).status).toBe(200);
    nowMs += 60 * MINUTE + 1000;
    expect((await login(email, 'password123', ip)).status).toBe(200);
  });

  it('records refused input, refused tokens with their account, and failures', async () => {
    const { token, id, email } = await api.register();
    const ip = from();
    await api.call('POST', '/api/expenses', { token, body: { amount: -1 }, headers: { 'x-forwarded-for': ip } });
    await api.post('/api/auth/logout', undefined, token);
    await api.call('GET', '/api/auth/me', { token, headers: { 'x-forwarded-for': ip } });
    await login(email, 'wrong-password', ip);
    await vi.waitFor(async () => {
      const rows = await platform.db.select().from(securityEvents).where(eq(securityEvents.ip, ip));
      expect(rows.map((r) => [r.type, r.userId, r.detail])).toEqual(
        expect.arrayContaining([
          ['input_refused', id, 'VALIDATION_FAILED POST /api/expenses'],
          ['token_refused', id, 'SESSION_REVOKED GET /api/auth/me'],
          ['login_failed', id, 'password'],
        ]),
      );
    });
  });
});

describe('the security page and new devices', async () => {
  const { api, platform } = await createTestApp({ ocr: null });
  const seen: DomainEvents['security.new_device'][] = [];
  platform.events.on('security.new_device', (e) => void seen.push(e));
  const as = (agent: string, ip = '192.0.2.10') => ({ 'user-agent': agent, 'x-forwarded-for': ip });

  it('lists sign-ins with their device, the sessions and the failures; a new device is announced once', async () => {
    const email = `sec-${Date.now()}@example.com`;
    const registered = await api.call('POST', '/api/auth/register', { body: { name: 'Sec', email, password: 'password123' }, headers: as('Firefox/133.0 (X11; Linux x86_64)') });
    const userId = registered.body.user.id as string;
    // The sign-up's device is the first one: not "new".
    expect(seen.filter((e) => e.userId === userId)).toHaveLength(0);
    const phone = await api.call('POST', '/api/auth/login', { body: { email, password: 'password123' }, headers: as('ExpenseFlow-iOS/2.1 (iPhone)', '192.0.2.77') });
    expect(phone.status).toBe(200);
    const announced = seen.filter((e) => e.userId === userId);
    expect(announced).toHaveLength(1);
    expect(announced[0]).toEqual({
      userId,
      sessionId: expect.any(String),
      deviceName: 'iPhone',
      ip: '192.0.2.77',
      userAgent: 'ExpenseFlow-iOS/2.1 (iPhone)',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    // The same device again, and the first one again: nothing new.
    await api.call('POST', '/api/auth/login', { body: { email, password: 'password123' }, headers: as('ExpenseFlow-iOS/2.1 (iPhone)', '192.0.2.78') });
    await api.call('POST', '/api/auth/login', { body: { email, password: 'password123' }, headers: as('Firefox/133.0 (X11; Linux x86_64)') });
    expect(seen.filter((e) => e.userId === userId)).toHaveLength(1);
    await api.call('POST', '/api/auth/login', { body: { email, password: 'nope-nope' }, headers: as('curl/8.5.0', '203.0.113.9') });

    const page = await api.get('/api/auth/security?limit=10', registered.body.token);
    expect(page.status).toBe(200);
    expect(page.body.signIns.map((s: { deviceName: string; newDevice: boolean; ip: string }) => [s.deviceName, s.newDevice, s.ip])).toEqual([
      ['Firefox on Linux', false, '192.0.2.10'],
      ['iPhone', false, '192.0.2.78'],
      ['iPhone', true, '192.0.2.77'],
      ['Firefox on Linux', false, '192.0.2.10'],
    ]);
    expect(page.body.signIns[2].sessionId).toBe(announced[0]!.sessionId);
    expect(page.body.sessions).toHaveLength(4);
    expect(page.body.failures).toEqual([{ at: expect.any(String), type: 'login_failed', reason: 'password', ip: '203.0.113.9', userAgent: 'curl/8.5.0' }]);
    expect((await api.get('/api/auth/security?limit=1', registered.body.token)).body.signIns).toHaveLength(1);
    expect((await api.get('/api/auth/security?limit=1000', registered.body.token)).status).toBe(400);
    const rows = await platform.db.select().from(securityEvents).where(and(eq(securityEvents.userId, userId), eq(securityEvents.type, 'sign_in')));
    expect(rows).toHaveLength(4);
  });
});
