import { describe, expect, it } from 'vitest';
import { sharedServer } from './server.ts';

/** Issue 12, part 1: API keys and Idempotency-Key, over HTTP on every host. */
describe('API keys and idempotent writes, over HTTP', () => {
  const { api } = sharedServer();

  const expense = { description: 'Museum', amount: 20, currency: 'USD', category: 'entertainment', date: '2025-05-09' };

  it('makes a key that works within its scopes, is refused outside them and on account routes, and is 401 once deleted', async () => {
    const user = await api.register();
    const created = await api.post('/api/keys', { name: 'importer', scopes: ['expenses:write', 'expenses:read'] }, user.token);
    expect(created).toMatchObject({ status: 201, body: { name: 'importer', scopes: ['expenses:write', 'expenses:read'], expiresAt: null } });
    const key = created.body.key as string;
    expect(key).toMatch(/^ef_live_/);

    expect((await api.post('/api/expenses', expense, key)).status).toBe(201);
    expect((await api.get('/api/expenses', key)).body).toHaveLength(1);
    expect(await api.get('/api/budgets', key)).toMatchObject({ status: 403, body: { code: 'MISSING_SCOPE', details: [{ message: 'budgets:read' }] } });
    expect(await api.get('/api/auth/me', key)).toMatchObject({ status: 403, body: { code: 'API_KEY_NOT_ALLOWED' } });

    const listed = await api.get('/api/keys', user.token);
    expect(listed.body.data).toEqual([expect.objectContaining({ _id: created.body._id, name: 'importer', lastUsedAt: expect.any(String) })]);
    expect(JSON.stringify(listed.body)).not.toContain(key);

    expect((await api.del(`/api/keys/${created.body._id}`, user.token)).status).toBe(200);
    expect(await api.get('/api/expenses', key)).toMatchObject({ status: 401, body: { code: 'INVALID_API_KEY' } });
  });

  it('replays a retried write with the same Idempotency-Key, refuses the key for another body, and runs 20 concurrent requests once', async () => {
    const user = await api.register();
    const send = (body: unknown, key: string) => api.call('POST', '/api/expenses', { token: user.token, body, headers: { 'idempotency-key': key } });
    const first = await send(expense, 'retry-1');
    const again = await send(expense, 'retry-1');
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await send({ ...expense, amount: 5 }, 'retry-1')).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect((await send(expense, 'x'.repeat(256))).body.code).toBe('INVALID_IDEMPOTENCY_KEY');

    const burst = await Promise.all(Array.from({ length: 20 }, () => send(expense, 'burst')));
    expect(burst.every((r) => r.status === 201 || (r.status === 409 && r.body.code === 'IDEMPOTENCY_IN_PROGRESS'))).toBe(true);
    expect(new Set(burst.filter((r) => r.status === 201).map((r) => r.body._id)).size).toBe(1);
    expect((await api.get('/api/expenses', user.token)).body).toHaveLength(2);
  });
});
