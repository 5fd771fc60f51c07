import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys } from '../../core/auth/tables.ts';
import { idempotencyKeys } from '../../core/idempotency/tables.ts';
import { createTestApp } from '../../tests/support/app.ts';
import { MAX_API_KEYS } from './schemas.ts';

describe('API keys', async () => {
  let nowMs = Date.now();
  const { api, platform } = await createTestApp({ clock: { now: () => new Date(nowMs) }, ocr: null });
  const expense = { description: 'Museum', amount: 20, currency: 'USD', category: 'entertainment', date: '2025-05-09' };

  const makeKey = async (token: string, scopes: string[], extra: Record<string, unknown> = {}) => {
    const res = await api.post('/api/keys', { name: 'script', scopes, ...extra }, token);
    if (res.status !== 201) throw new Error(`key not made: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { _id: string; key: string };
  };

  it('shows the secret once, keeps only its hash, and authenticates with it as a bearer token', async () => {
    const user = await api.register();
    const created = await api.post('/api/keys', { name: ' Spreadsheet ', scopes: ['expenses:read', 'expenses:write'] }, user.token);
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['_id', 'expiresAt', 'key', 'name', 'scopes']);
    expect(created.body).toMatchObject({ name: 'Spreadsheet', scopes: ['expenses:read', 'expenses:write'], expiresAt: null });
    const key = created.body.key as string;
    expect(key).toMatch(/^ef_live_[A-Za-z0-9_-]{43}$/);

    const [row] = await platform.db.select().from(apiKeys).where(eq(apiKeys.userId, user.id));
    expect(JSON.stringify(row)).not.toContain(key.slice('ef_live_'.length));
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await api.post('/api/expenses', expense, key)).status).toBe(201);
    const listed = await api.get('/api/expenses', key);
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);

    const keys = await api.get('/api/keys', user.token);
    expect(keys.body).toMatchObject({ success: true, count: 1 });
    const [shown] = keys.body.data;
    expect(shown).toMatchObject({ _id: created.body._id, name: 'Spreadsheet', hint: `${key.slice(0, 12)}…`, lastUsedAt: new Date(nowMs).toISOString() });
    expect(JSON.stringify(keys.body)).not.toContain(key);
  });

  it('never keeps the answer that shows a secret: the create takes no Idempotency-Key', async () => {
    const user = await api.register();
    const make = () => api.call('POST', '/api/keys', { token: user.token, body: { name: 'ci', scopes: ['goals:read'] }, headers: { 'idempotency-key': 'once' } });
    const [a, b] = [await make(), await make()];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(a.body.key).not.toBe(b.body.key);
    expect(await platform.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, user.id))).toEqual([]);
  });

  it('refuses a route outside the key’s scopes with 403 naming the scope, and account routes to any key', async () => {
    const user = await api.register();
    const { key } = await makeKey(user.token, ['expenses:read']);
    const refused = await api.post('/api/expenses', expense, key);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'MISSING_SCOPE', details: [{ path: 'scope', message: 'expenses:write' }] });
    expect(refused.body.error).toContain('expenses:write');
    expect((await api.get('/api/budgets', key)).body).toMatchObject({ code: 'MISSING_SCOPE', details: [{ message: 'budgets:read' }] });
    for (const path of ['/api/auth/me', '/api/auth/sessions', '/api/keys', '/api/auth/2fa/status']) {
      expect(await api.get(path, key), path).toMatchObject({ status: 403, body: { code: 'API_KEY_NOT_ALLOWED' } });
    }
    expect((await api.post('/api/keys', { name: 'more', scopes: ['expenses:read'] }, key)).body.code).toBe('API_KEY_NOT_ALLOWED');
    expect((await api.post('/api/auth/logout', {}, key)).body.code).toBe('API_KEY_NOT_ALLOWED');
  });

  it('is 401 at once after it is deleted, even right after a request that succeeded', async () => {
    const user = await api.register();
    const { _id, key } = await makeKey(user.token, ['expenses:read']);
    expect((await api.get('/api/expenses', key)).status).toBe(200);
    expect((await api.del(`/api/keys/${_id}`, user.token)).body).toEqual({ success: true, message: 'API key deleted' });
    expect(await api.get('/api/expenses', key)).toMatchObject({ status: 401, body: { code: 'INVALID_API_KEY' } });
    expect((await api.get('/api/keys', user.token)).body.count).toBe(0);
    expect((await api.del(`/api/keys/${_id}`, user.token)).status).toBe(404);
    expect(await api.get('/api/expenses', 'ef_live_neverissued')).toMatchObject({ status: 401, body: { code: 'INVALID_API_KEY' } });
  });

  it('is 401 from the moment it expires; an expiry in the past is a 400', async () => {
    const user = await api.register();
    const { key } = await makeKey(user.token, ['expenses:read'], { expiresAt: new Date(nowMs + 3_600_000).toISOString() });
    expect((await api.get('/api/expenses', key)).status).toBe(200);
    nowMs += 3_600_000;
    expect(await api.get('/api/expenses', key)).toMatchObject({ status: 401, body: { code: 'API_KEY_EXPIRED' } });
    const past = await api.post('/api/keys', { name: 'old', scopes: ['expenses:read'], expiresAt: new Date(nowMs - 1000).toISOString() }, user.token);
    expect(past).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', details: [{ path: 'json.expiresAt' }] } });
  });

  it('keeps "last used" to the minute: no write per request', async () => {
    const user = await api.register();
    const { _id, key } = await makeKey(user.token, ['goals:read']);
    await api.get('/api/goals', key);
    const first = nowMs;
    nowMs += 30_000;
    await api.get('/api/goals', key);
    const lastUsed = async () => (await platform.db.select().from(apiKeys).where(eq(apiKeys.id, _id)))[0]!.lastUsedAt;
    expect(await lastUsed()).toBe(new Date(first).toISOString());
    nowMs += 31_000;
    await api.get('/api/goals', key);
    expect(await lastUsed()).toBe(new Date(nowMs).toISOString());
  });

  it("answers a clear 400 for bad input, 404 for another user's key, 409 past the limit", async () => {
    const a = await api.register();
    const b = await api.register();
    for (const body of [
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['expenses:admin'] },
      { name: 'x', scopes: ['expenses:read', 'expenses:read'] },
      { name: '', scopes: ['expenses:read'] },
      { name: 'x'.repeat(101), scopes: ['expenses:read'] },
      { name: 'x', scopes: ['expenses:read'], expiresAt: 'tomorrow' },
    ]) {
      expect((await api.post('/api/keys', body, a.token)).body.code, JSON.stringify(body)).toBe('VALIDATION_FAILED');
    }
    const { _id } = await makeKey(a.token, ['expenses:read']);
    expect((await api.del(`/api/keys/${_id}`, b.token)).status).toBe(404);
    for (let i = 1; i < MAX_API_KEYS; i++) await makeKey(a.token, ['expenses:read']);
    expect((await api.post('/api/keys', { name: 'one more', scopes: ['expenses:read'] }, a.token)).body.code).toBe('API_KEY_LIMIT_REACHED');
  });
});
