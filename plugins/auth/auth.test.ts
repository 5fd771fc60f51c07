import { eq } from 'drizzle-orm';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { users } from '../../core/auth/tables.ts';
import { createDatabase } from '../../core/db/client.ts';
import { createTestApp } from '../../tests/support/app.ts';

describe('auth', async () => {
  const { api, platform } = await createTestApp();

  describe('happy', () => {
    it('registers with the seed shape and a working token', async () => {
      const res = await api.post('/api/auth/register', { name: 'John Doe', email: ' John@Example.COM ', password: 'password123' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        user: { id: expect.any(String), name: 'John Doe', email: 'john@example.com' },
      });
      const me = await api.get('/api/auth/me', res.body.token);
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        id: res.body.user.id,
        name: 'John Doe',
        email: 'john@example.com',
        settings: { currency: 'USD', timeZone: 'UTC', language: 'en' },
        createdAt: expect.any(String),
      });
    });

    it('logs in with any casing of the email', async () => {
      await api.post('/api/auth/register', { name: 'Jane', email: 'jane@example.com', password: 'password123' });
      const res = await api.post('/api/auth/login', { email: 'JANE@example.com ', password: 'password123' });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ name: 'Jane', email: 'jane@example.com' });
      expect((await api.get('/api/auth/me', res.body.token)).status).toBe(200);
    });

    it('never stores the password itself', async () => {
      const { id } = await api.register('plain@example.com');
      const [row] = await platform.db.select().from(users).where(eq(users.id, id));
      expect(row!.passwordHash).toMatch(/^\$scrypt\$/);
      expect(row!.passwordHash).not.toContain('password123');
    });

    it('changes name and settings', async () => {
      const { token } = await api.register();
      const res = await api.patch('/api/auth/me', { name: 'Renamed', settings: { currency: 'eur', timeZone: 'Europe/Paris', language: 'pt-BR' } }, token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: 'Renamed', settings: { currency: 'EUR', timeZone: 'Europe/Paris', language: 'pt-BR' } });
      const partial = await api.patch('/api/auth/me', { settings: { language: 'fr' } }, token);
      expect(partial.body.settings).toEqual({ currency: 'EUR', timeZone: 'Europe/Paris', language: 'fr' });
    });
  });

  describe('errors', () => {
    it('refuses a second account with the same email, whatever its casing', async () => {
      await api.register('dup@example.com');
      const res = await api.post('/api/auth/register', { name: 'X', email: 'DUP@example.com', password: 'password123' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ success: false, code: 'EMAIL_TAKEN' });
    });

    it('validates registration fields', async () => {
      const res = await api.post('/api/auth/register', { name: '', email: 'not-an-email', password: 'short' });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['json.email', 'json.name', 'json.password']);
    });

    it('answers an unknown email and a wrong password alike', async () => {
      await api.register('known@example.com');
      const unknown = await api.post('/api/auth/login', { email: 'nobody@example.com', password: 'password123' });
      const wrong = await api.post('/api/auth/login', { email: 'known@example.com', password: 'password124' });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      const strip = ({ requestId: _, ...rest }: Record<string, unknown>) => rest;
      expect(strip(unknown.body)).toEqual(strip(wrong.body));
      expect(unknown.body).toMatchObject({ code: 'INVALID_CREDENTIALS', error: 'Invalid email or password' });
    });

    it('refuses bad settings', async () => {
      const { token } = await api.register();
      for (const settings of [{ currency: 'ABC' }, { timeZone: 'Mars/Olympus' }, { language: 'not a tag!' }]) {
        const res = await api.patch('/api/auth/me', { settings }, token);
        expect(res.status, JSON.stringify(settings)).toBe(400);
      }
      expect((await api.patch('/api/auth/me', {}, token)).status).toBe(400);
    });
  });

  describe('security', () => {
    it('refuses a token once it expires, even one accepted before', async () => {
      const { token } = await api.register();
      expect((await api.get('/api/auth/me', token)).status).toBe(200);
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(Date.now() + 7 * 86_400_000 + 1000); // JWT_EXPIRE is 7d
        const res = await api.get('/api/auth/me', token);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ code: 'TOKEN_EXPIRED', error: 'Token expired' });
      } finally {
        vi.useRealTimers();
      }
    });

    it('stops accepting the token of a deleted account', async () => {
      const { token, id } = await api.register();
      expect((await api.get('/api/auth/me', token)).status).toBe(200);
      await platform.db.delete(users).where(eq(users.id, id));
      const res = await api.get('/api/auth/me', token);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('INVALID_TOKEN');
    });

    it('sees at the next request what another process changed: the data, a deleted account', async () => {
      const { token, id } = await api.register();
      await api.post('/api/expenses', { description: 'Tea', amount: 10, currency: 'USD', category: 'food', date: '2025-05-09' }, token);
      const listed = async () => (await api.get('/api/expenses', token)).body.map((e: { description: string }) => e.description);
      expect(await listed()).toEqual(['Tea']);
      // Another process on the same database file (a second server, a script), writing as ours do.
      const other = createDatabase(platform.config.DATABASE_URL);
      onTestFinished(() => other.client.close());
      await other.client.batch([
        { sql: "update expense set description = 'Green tea' where user_id = ?", args: [id] },
        { sql: 'update user set data_version = data_version + 1 where id = ?', args: [id] },
      ]);
      expect(await listed()).toEqual(['Green tea']);
      await other.client.execute({ sql: 'delete from user where id = ?', args: [id] });
      expect((await api.get('/api/auth/me', token)).status).toBe(401);
    });

    it('ignores fields a client must not set', async () => {
      const res = await api.post('/api/auth/register', {
        name: 'Mallory',
        email: 'mallory@example.com',
        password: 'password123',
        id: 'chosen-id',
        passwordHash: 'x',
      });
      expect(res.status).toBe(201);
      expect(res.body.user.id).not.toBe('chosen-id');
      expect((await api.post('/api/auth/login', { email: 'mallory@example.com', password: 'password123' })).status).toBe(200);
    });
  });
});
