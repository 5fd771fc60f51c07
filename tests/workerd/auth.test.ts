/**
 * Accounts on the edge host: the Worker inside workerd against sqld, called the way a client
 * calls it. Nothing here touches exchange rates, so this file is independent of the others.
 */
import { describe, expect, inject, it } from 'vitest';
import { workerApi } from './worker-api.ts';

const api = workerApi();
const unique = () => `edge-${crypto.randomUUID()}@example.com`;

describe('health', () => {
  it('says the database answers', async () => {
    const res = await api.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.any(String), database: 'ok', jobs: expect.any(Array) });
  });
});

describe('register and log in', () => {
  it('registers, then logs in with the same password', async () => {
    const email = unique();
    const reg = await api.post('/api/auth/register', { name: 'Ada Edge', email: `  ${email.toUpperCase()} `, password: 'correct horse' });
    expect(reg.status).toBe(201);
    expect(reg.body).toEqual({ token: expect.any(String), user: { id: expect.any(String), name: 'Ada Edge', email } });

    const login = await api.post('/api/auth/login', { email, password: 'correct horse' });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual(reg.body.user);

    // The login's own token works, not only the one from register.
    const me = await api.get('/api/auth/me', login.body.token);
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(reg.body.user.id);
  });

  it('refuses a second account with the same email', async () => {
    const email = unique();
    expect((await api.post('/api/auth/register', { name: 'First', email, password: 'password123' })).status).toBe(201);
    const again = await api.post('/api/auth/register', { name: 'Second', email, password: 'password456' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ success: false, code: 'EMAIL_TAKEN', error: expect.any(String) });
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const { email } = await api.register(unique());
    const wrong = await api.post('/api/auth/login', { email, password: 'not-the-password' });
    const unknown = await api.post('/api/auth/login', { email: unique(), password: 'password123' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toMatchObject({ success: false, code: 'INVALID_CREDENTIALS' });
    expect(unknown.body.error).toBe(wrong.body.error);
  });

  it('logs in a user whose password hash was made by Node', async () => {
    const email = inject('nodeUserEmail');
    const res = await api.post('/api/auth/login', { email, password: inject('nodeUserPassword') });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email, name: 'Node Hashed' });
    // And the wrong password still fails against that same hash.
    expect((await api.post('/api/auth/login', { email, password: 'not-the-password' })).status).toBe(401);
  });
});

describe('the current user', () => {
  it('reads and changes name and settings', async () => {
    const { token, id, email } = await api.register(unique(), 'Grace');
    const before = await api.get('/api/auth/me', token);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({
      id,
      name: 'Grace',
      email,
      settings: { currency: 'USD', timeZone: 'UTC', language: 'en' },
      createdAt: expect.any(String),
    });

    const patch = await api.patch('/api/auth/me', { name: 'Grace H.', settings: { currency: 'eur', timeZone: 'Europe/Paris' } }, token);
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ name: 'Grace H.', settings: { currency: 'EUR', timeZone: 'Europe/Paris', language: 'en' } });

    // Stored, not only echoed.
    const after = await api.get('/api/auth/me', token);
    expect(after.body).toEqual(patch.body);
  });

  it('rejects a request with no token or a bad one', async () => {
    const none = await api.get('/api/auth/me');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ success: false, code: 'NO_TOKEN' });

    const garbage = await api.get('/api/auth/me', 'not.a.jwt');
    expect(garbage.status).toBe(401);
    expect(garbage.body).toMatchObject({ success: false, code: 'INVALID_TOKEN' });

    // A well-formed token with one character of its signature changed.
    const { token } = await api.register(unique());
    const tampered = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
    const forged = await api.get('/api/auth/me', tampered);
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ success: false, code: 'INVALID_TOKEN' });
  });
});
