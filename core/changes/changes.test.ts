import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('the change log (platform.changes)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });

  const headers = (token: string, device?: string) => ({ token, headers: (device ? { 'x-device-id': device } : {}) as Record<string, string> });

  it('logs create, update and delete of an expense with the data after, its version and the device', async () => {
    const { token, id: userId } = await t.api.register();
    const created = await t.api.call('POST', '/api/expenses', { ...headers(token, 'phone-1'), body: { description: 'Lunch', amount: 12.5, category: 'food' } });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    const id = created.body._id;
    const updated = await t.api.call('PUT', `/api/expenses/${id}`, { ...headers(token, 'laptop'), body: { amount: 13 } });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    expect((await t.api.call('DELETE', `/api/expenses/${id}`, headers(token))).status).toBe(200);

    const log = await t.platform.changes.since(userId, 0, 100);
    expect(log.map((c) => [c.seq, c.entity, c.entityId, c.op, c.version, c.deviceId])).toEqual([
      [1, 'expense', id, 'CREATE', 1, 'phone-1'],
      [2, 'expense', id, 'UPDATE', 2, 'laptop'],
      [3, 'expense', id, 'DELETE', 3, null],
    ]);
    expect(log[0]!.data).toMatchObject({ _id: id, description: 'Lunch', amount: 12.5, currency: 'USD', category: 'food', version: 1, tags: [] });
    expect(log[1]!.data).toMatchObject({ _id: id, amount: 13, version: 2 });
    expect(log[2]!.data).toBeNull();
    // data_version is the seq: one counter.
    const [row] = await t.platform.db.all<{ v: number }>(sql`select data_version as v from user where id = ${userId}`);
    expect(row!.v).toBe(3);
    expect(await t.platform.changes.last(userId)).toBe(3);
  });

  it('logs the same expense data on the prepared path (create) as the SQL path (update) builds', async () => {
    const { token, id: userId } = await t.api.register();
    const created = await t.api.post('/api/expenses', { description: 'Taxi', amount: 7.25, currency: 'EUR', category: 'transport', tags: ['a'], merchant: 'Cab' }, token);
    expect((await t.api.put(`/api/expenses/${created.body._id}`, { merchant: 'Cab' }, token)).status).toBe(200);
    const [c, u] = await t.platform.changes.since(userId, 0, 10);
    const { version: v1, updatedAt: _a, ...rest1 } = c!.data as Record<string, unknown>;
    const { version: v2, updatedAt: _b, ...rest2 } = u!.data as Record<string, unknown>;
    expect([v1, v2]).toEqual([1, 2]);
    expect(rest2).toEqual(rest1);
  });

  it('logs nothing and raises nothing for a write that matches nothing', async () => {
    const { token, id: userId } = await t.api.register();
    expect((await t.api.put('/api/expenses/nope', { amount: 1 }, token)).status).toBe(404);
    expect((await t.api.del('/api/expenses/nope', token)).status).toBe(404);
    expect((await t.api.del('/api/expenses/categories/nope', token)).status).toBe(404);
    expect(await t.platform.changes.since(userId, 0, 10)).toEqual([]);
  });

  it('logs categories and settings', async () => {
    const { token, id: userId } = await t.api.register();
    expect((await t.api.call('POST', '/api/expenses/categories', { ...headers(token, 'd1'), body: { name: 'pets' } })).status).toBe(201);
    expect((await t.api.call('DELETE', '/api/expenses/categories/pets', headers(token, 'd1'))).status).toBe(200);
    const me = await t.api.call('PATCH', '/api/auth/me', { ...headers(token, 'd2'), body: { settings: { currency: 'EUR' } } });
    expect(me.status).toBe(200);
    const log = await t.platform.changes.since(userId, 0, 10);
    expect(log.map((c) => [c.seq, c.entity, c.entityId, c.op, c.deviceId])).toEqual([
      [1, 'category', 'pets', 'CREATE', 'd1'],
      [2, 'category', 'pets', 'DELETE', 'd1'],
      [3, 'settings', userId, 'UPDATE', 'd2'],
    ]);
    expect(log[2]!.data).toMatchObject({ currency: 'EUR', version: 2 });
  });

  it('logs budgets, and every write that raises data_version logs a row (one counter, no gaps)', async () => {
    const { token, id: userId } = await t.api.register();
    const created = await t.api.call('POST', '/api/budgets', { ...headers(token, 'd1'), body: { name: 'Food', amount: 300, period: 'monthly', category: 'food' } });
    expect(created.status).toBe(201);
    expect(created.body.version).toBe(1);
    const id = created.body._id;
    const updated = await t.api.call('PUT', `/api/budgets/${id}`, { ...headers(token, 'd1'), body: { amount: 250.5 } });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    await t.api.post('/api/expenses', { description: 'x', amount: 1, category: 'food' }, token);
    expect((await t.api.del(`/api/budgets/${id}`, token)).status).toBe(200);
    expect((await t.api.del(`/api/budgets/${id}`, token)).status).toBe(404);
    const log = await t.platform.changes.since(userId, 0, 10);
    expect(log.map((c) => [c.seq, c.entity, c.op, c.version])).toEqual([
      [1, 'budget', 'CREATE', 1],
      [2, 'budget', 'UPDATE', 2],
      [3, 'expense', 'CREATE', 1],
      [4, 'budget', 'DELETE', 3],
    ]);
    expect(log[1]!.data).toMatchObject({ _id: id, name: 'Food', amount: 250.5, currency: 'USD', period: 'monthly', version: 2 });
    const [row] = await t.platform.db.all<{ v: number }>(sql`select data_version as v from user where id = ${userId}`);
    expect(row!.v).toBe(4);
  });

  it('refuses a malformed X-Device-Id with a 400', async () => {
    const { token } = await t.api.register();
    const res = await t.api.call('POST', '/api/expenses', { token, headers: { 'x-device-id': 'a b' }, body: { description: 'x', amount: 1, category: 'food' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_DEVICE_ID');
  });

  it('keeps seq strictly increasing and gap-free under concurrent writes, each row with its write', async () => {
    const { token, id: userId } = await t.api.register();
    const made = await Promise.all(
      Array.from({ length: 40 }, (_, i) => t.api.post('/api/expenses', { description: `c${i}`, amount: i + 1, category: 'food' }, token)),
    );
    expect(made.every((r) => r.status === 201)).toBe(true);
    await Promise.all(made.slice(0, 20).map((r, i) => (i % 2 ? t.api.del(`/api/expenses/${r.body._id}`, token) : t.api.put(`/api/expenses/${r.body._id}`, { amount: 99 }, token))));
    const log = await t.platform.changes.since(userId, 0, 1000);
    expect(log.map((c) => c.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(new Set(log.filter((c) => c.op === 'CREATE').map((c) => c.entityId))).toEqual(new Set(made.map((r) => r.body._id)));
    const [{ n }] = (await t.platform.db.all<{ n: number }>(sql`select count(*) as n from expense where user_id = ${userId}`)) as [{ n: number }];
    expect(n).toBe(30);
  });

  it('rolls the log row back with a write that fails in its batch', async () => {
    const { token, id: userId } = await t.api.register();
    await t.api.post('/api/expenses/categories', { name: 'pets' }, token);
    // The same name again fails the insert (unique): its log row and counter raise go with it.
    expect((await t.api.post('/api/expenses/categories', { name: 'pets' }, token)).status).toBe(409);
    expect((await t.platform.changes.since(userId, 0, 10)).map((c) => c.seq)).toEqual([1]);
    expect(await t.platform.changes.last(userId)).toBe(1);
  });
});
