import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';

/** What the user's authenticator app shows at `ms`. */
const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: ms });

describe('two-factor sign-in (TOTP)', async () => {
  // A clock of the test's own, moved by hand: codes depend on it.
  let nowMs = Date.now() - (Date.now() % 30_000) + 5_000;
  const { api, platform } = await createTestApp({ clock: { now: () => new Date(nowMs) } });

  async function enabled() {
    const { token, email } = await api.register();
    const set = await api.post('/api/auth/2fa/setup', undefined, token);
    expect(set.status).toBe(200);
    const { secret } = set.body;
    const on = await api.post('/api/auth/2fa/verify-setup', { code: codeAt(secret, nowMs) }, token);
    expect(on.status).toBe(200);
    nowMs += 30_000; // the setup's code is spent: sign-ins below use the next one
    return { token, email, secret, backupCodes: on.body.backupCodes as string[] };
  }

  it('sets up with a secret and an otpauth URI, on only after a code from it', async () => {
    const { token, email } = await api.register();
    expect((await api.get('/api/auth/2fa/status', token)).body).toEqual({ enabled: false, enabledAt: null, backupCodesLeft: 0 });
    expect((await api.post('/api/auth/2fa/verify-setup', { code: '123456' }, token)).body.code).toBe('TWO_FACTOR_NOT_SET_UP');
    const set = await api.post('/api/auth/2fa/setup', undefined, token);
    expect(set.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(set.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/ExpenseFlow:.+\?.*secret=[A-Z2-7]{32}/);
    expect(set.body.otpauthUri).toContain(encodeURIComponent(email));
    // Until verified, logins go on without a code.
    expect((await api.post('/api/auth/login', { email, password: 'password123' })).body.token).toEqual(expect.any(String));
    const wrong = await api.post('/api/auth/2fa/verify-setup', { code: codeAt(set.body.secret, nowMs + 5 * 60_000) }, token);
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('WRONG_CODE');
    const on = await api.post('/api/auth/2fa/verify-setup', { code: codeAt(set.body.secret, nowMs) }, token);
    expect(on.status).toBe(200);
    expect(on.body.backupCodes).toHaveLength(10);
    expect(new Set(on.body.backupCodes).size).toBe(10);
    expect((await api.get('/api/auth/2fa/status', token)).body).toMatchObject({ enabled: true, backupCodesLeft: 10 });
    expect((await api.post('/api/auth/2fa/setup', undefined, token)).body.code).toBe('TWO_FACTOR_ENABLED');
  });

  it('turns the password into a challenge, and the challenge with a current code into a token', async () => {
    const { email, secret } = await enabled();
    const login = await api.post('/api/auth/login', { email, password: 'password123' });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ twoFactorRequired: true, challenge: expect.any(String), expiresIn: 300 });
    // The challenge is no bearer token.
    expect((await api.get('/api/auth/me', login.body.challenge)).status).toBe(401);
    const bad = await api.post('/api/auth/2fa/verify', { challenge: login.body.challenge, code: codeAt(secret, nowMs + 120_000) });
    // The code of the setup (the step before): already used.
    expect((await api.post('/api/auth/2fa/verify', { challenge: login.body.challenge, code: codeAt(secret, nowMs - 30_000) })).body.code).toBe('INVALID_CODE');
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('INVALID_CODE');
    // A device clock one step ahead still passes (drift), and then its code is spent.
    const code = codeAt(secret, nowMs + 30_000);
    const ok = await api.post('/api/auth/2fa/verify', { challenge: login.body.challenge, code });
    expect(ok.status).toBe(200);
    expect((await api.get('/api/auth/me', ok.body.token)).status).toBe(200);
    const replay = await api.post('/api/auth/2fa/verify', { challenge: login.body.challenge, code });
    expect(replay.body.code).toBe('INVALID_CODE');
  });

  it('refuses a challenge the server did not sign, or once its five minutes are over', async () => {
    const { email, secret } = await enabled();
    const { challenge } = (await api.post('/api/auth/login', { email, password: 'password123' })).body;
    nowMs += 301_000;
    expect((await api.post('/api/auth/2fa/verify', { challenge, code: codeAt(secret, nowMs) })).body.code).toBe('INVALID_CHALLENGE');
    const forged = challenge.slice(0, -2) + (challenge.at(-2) === 'A' ? 'B' : 'A') + challenge.at(-1);
    expect((await api.post('/api/auth/2fa/verify', { challenge: forged, code: codeAt(secret, nowMs) })).body.code).toBe('INVALID_CHALLENGE');
  });

  it('takes each backup code once', async () => {
    const { email, backupCodes, token } = await enabled();
    const signIn = async (code: string) => {
      const { challenge } = (await api.post('/api/auth/login', { email, password: 'password123' })).body;
      return api.post('/api/auth/2fa/verify', { challenge, code });
    };
    expect((await signIn(backupCodes[0]!.toUpperCase())).status).toBe(200);
    expect((await signIn(backupCodes[0]!)).body.code).toBe('INVALID_CODE');
    expect((await api.get('/api/auth/2fa/status', token)).body.backupCodesLeft).toBe(9);
  });

  it('turns off only with the password and a code', async () => {
    const { token, email, secret } = await enabled();
    expect((await api.post('/api/auth/2fa/disable', { password: 'nope-nope', code: codeAt(secret, nowMs) }, token)).body.code).toBe('WRONG_PASSWORD');
    expect((await api.post('/api/auth/2fa/disable', { password: 'password123', code: '000000' }, token)).body.code).toBe('WRONG_CODE');
    const off = await api.post('/api/auth/2fa/disable', { password: 'password123', code: codeAt(secret, nowMs) }, token);
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ success: true, enabled: false });
    expect((await api.post('/api/auth/login', { email, password: 'password123' })).body.token).toEqual(expect.any(String));
  });
  it('announces a new device once the code completes the sign-in, not at the password step', async () => {
    const { email, secret } = await enabled();
    const seen: string[] = [];
    platform.events.on('security.new_device', (e) => void seen.push(e.sessionId));
    const headers = { 'user-agent': 'ExpenseFlow-Android/3.0 (Android 15)' };
    const step1 = await api.call('POST', '/api/auth/login', { body: { email, password: 'password123' }, headers });
    expect(step1.body.twoFactorRequired).toBe(true);
    expect(seen).toHaveLength(0);
    const wrong = await api.call('POST', '/api/auth/2fa/verify', { body: { challenge: step1.body.challenge, code: '000000' }, headers });
    expect(wrong.status).toBe(401);
    const done = await api.call('POST', '/api/auth/2fa/verify', { body: { challenge: step1.body.challenge, code: codeAt(secret, nowMs) }, headers });
    expect(done.status).toBe(200);
    expect(seen).toHaveLength(1);
    const page = await api.get('/api/auth/security', done.body.token);
    expect(page.body.signIns[0]).toMatchObject({ deviceName: 'Android', newDevice: true, sessionId: seen[0] });
    expect(page.body.failures[0]).toMatchObject({ type: 'login_failed', reason: 'code' });
  });
});
