import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { signToken } from '../../core/auth/jwt.ts';
import { sessions } from '../../core/auth/tables.ts';
import { createTestApp, TEST_SECRET } from '../../tests/support/app.ts';
import { deviceNameOf } from './sessions.ts';

describe('sessions', async () => {
  let nowMs = Date.now();
  const { api, platform } = await createTestApp({ clock: { now: () => new Date(nowMs) } });

  it('keeps "last seen" to the minute: one write a minute at most, not one per request', async () => {
    const { token, id } = await api.register();
    const [before] = await platform.db.select().from(sessions).where(eq(sessions.userId, id));
    nowMs += 30_000;
    await api.get('/api/auth/me', token);
    const [soon] = await platform.db.select().from(sessions).where(eq(sessions.userId, id));
    expect(soon!.lastSeenAt).toBe(before!.lastSeenAt);
    nowMs += 40_000;
    await api.get('/api/auth/me', token);
    const [later] = await platform.db.select().from(sessions).where(eq(sessions.userId, id));
    expect(later!.lastSeenAt).toBe(new Date(nowMs).toISOString());
  });

  it('refuses a token that names no session, or a session of another user', async () => {
    const a = await api.register();
    const b = await api.register();
    const noSession = await signToken(a.id, TEST_SECRET, '1h');
    expect((await api.get('/api/auth/me', noSession)).body.code).toBe('INVALID_TOKEN');
    const [bSession] = await platform.db.select().from(sessions).where(eq(sessions.userId, b.id));
    const crossed = await signToken(a.id, TEST_SECRET, '1h', bSession!.id);
    expect((await api.get('/api/auth/me', crossed)).body.code).toBe('INVALID_TOKEN');
  });

  it('lists only sessions still valid: one whose token has expired is over', async () => {
    const { email, id } = await api.register();
    // The first session's token expired (the clock jose signs with is the real one: set the row).
    await platform.db.update(sessions).set({ expiresAt: new Date(nowMs - 1000).toISOString() }).where(eq(sessions.userId, id));
    const fresh = (await api.post('/api/auth/login', { email, password: 'password123' })).body.token;
    const list = await api.get('/api/auth/sessions', fresh);
    expect(list.body.count).toBe(1);
    expect(list.body.data[0].current).toBe(true);
  });

  it('prunes sessions a day after they ended, and only those', async () => {
    const { id, token } = await api.register();
    await api.post('/api/auth/logout', undefined, token);
    await platform.jobs.run('auth.prune-sessions', 'manual');
    expect(await platform.db.select().from(sessions).where(eq(sessions.userId, id))).toHaveLength(1);
    nowMs += 86_400_000 + 1000;
    await platform.jobs.run('auth.prune-sessions', 'manual');
    expect(await platform.db.select().from(sessions).where(eq(sessions.userId, id))).toHaveLength(0);
  });

  it('names a device from its User-Agent', () => {
    expect(deviceNameOf('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox on Linux');
    expect(deviceNameOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0')).toBe('Edge on Windows');
    expect(deviceNameOf('curl/8.5.0')).toBe('curl');
    expect(deviceNameOf(null)).toBe('Unknown device');
  });
});
