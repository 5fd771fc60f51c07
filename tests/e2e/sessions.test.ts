/**
 * Sessions on each host's real process: a signed-out session's token is refused at its very
 * next request, though the process has just verified (and remembers) that token.
 */
import { describe, expect, it } from 'vitest';
import { sharedServer } from './server.ts';

describe('sessions', () => {
  const { api } = sharedServer();

  const login = async (email: string, password = 'password123', headers: Record<string, string> = {}) => {
    const res = await api.call('POST', '/api/auth/login', { body: { email, password }, headers });
    expect(res.status).toBe(200);
    return res.body.token as string;
  };

  it('lists each sign-in with its device, and marks the current one', async () => {
    const { email, token: first } = await api.register();
    const phone = await login(email, 'password123', { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1' });
    const named = await api.call('POST', '/api/auth/login', { body: { email, password: 'password123', deviceName: 'Work laptop' } });
    const res = await api.get('/api/auth/sessions', phone);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(res.body.data.map((s: { deviceName: string }) => s.deviceName)).toEqual(['Work laptop', 'Safari on iPhone', expect.any(String)]);
    expect(res.body.data.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(res.body.data[1]).toEqual({
      id: expect.any(String),
      deviceName: 'Safari on iPhone',
      ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      userAgent: expect.stringContaining('iPhone'),
      createdAt: expect.any(String),
      lastSeenAt: expect.any(String),
      current: true,
    });
    expect(first).not.toBe(named.body.token);
  });

  it('refuses a revoked session at its very next request, and only that one', async () => {
    const { email, token: laptop } = await api.register();
    const phone = await login(email);
    // Both tokens have just been verified, and each process remembers verified tokens.
    expect((await api.get('/api/auth/me', phone)).status).toBe(200);
    expect((await api.get('/api/auth/me', laptop)).status).toBe(200);
    const phoneSession = (await api.get('/api/auth/sessions', laptop)).body.data.find((s: { current: boolean }) => !s.current);
    const revoked = await api.del(`/api/auth/sessions/${phoneSession.id}`, laptop);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ success: true, message: 'Session signed out' });
    const after = await api.get('/api/expenses', phone);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ success: false, code: 'SESSION_REVOKED' });
    expect((await api.get('/api/auth/me', laptop)).status).toBe(200);
    // Signed out is signed out: a second revocation finds nothing.
    expect((await api.del(`/api/auth/sessions/${phoneSession.id}`, laptop)).status).toBe(404);
  });

  it("cannot sign out another user's session", async () => {
    const a = await api.register();
    const b = await api.register();
    const bSession = (await api.get('/api/auth/sessions', b.token)).body.data[0];
    const res = await api.del(`/api/auth/sessions/${bSession.id}`, a.token);
    expect(res.status).toBe(404);
    expect((await api.get('/api/auth/me', b.token)).status).toBe(200);
  });

  it('logs out the session of the token used', async () => {
    const { email, token } = await api.register();
    const other = await login(email);
    expect((await api.get('/api/auth/me', token)).status).toBe(200);
    const res = await api.post('/api/auth/logout', undefined, token);
    expect(res.status).toBe(200);
    expect((await api.get('/api/auth/me', token)).body.code).toBe('SESSION_REVOKED');
    expect((await api.get('/api/auth/me', other)).status).toBe(200);
  });

  it('changes the password with the current one and signs out every other session', async () => {
    const { email, token: here } = await api.register();
    const elsewhere = await login(email);
    expect((await api.get('/api/auth/me', elsewhere)).status).toBe(200);

    const wrong = await api.post('/api/auth/change-password', { currentPassword: 'not-it', newPassword: 'a-new-password' }, here);
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('WRONG_PASSWORD');
    expect((await api.get('/api/auth/me', elsewhere)).status).toBe(200);

    const short = await api.post('/api/auth/change-password', { currentPassword: 'password123', newPassword: 'short' }, here);
    expect(short.status).toBe(400);

    const changed = await api.post('/api/auth/change-password', { currentPassword: 'password123', newPassword: 'a-new-password' }, here);
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ success: true, revokedSessions: 1 });
    expect((await api.get('/api/auth/me', elsewhere)).body.code).toBe('SESSION_REVOKED');
    expect((await api.get('/api/auth/me', here)).status).toBe(200);
    expect((await api.post('/api/auth/login', { email, password: 'password123' })).status).toBe(401);
    await login(email, 'a-new-password');
  });
});
