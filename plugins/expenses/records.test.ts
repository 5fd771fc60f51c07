import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';

describe('expenses service (for other plugins)', async () => {
  const { api, platform } = await createTestApp();
  const alice = await api.register();
  const owner = { id: alice.id, currency: 'USD' };
  const { expenses } = platform.services;

  it('creates an expense as the route does, and finds it by id', async () => {
    const made = await expenses.create(owner, { description: 'Dinner', amount: 60.5, category: ' Food ', date: '2025-03-01' });
    expect(made).toMatchObject({ userId: alice.id, amount: 60.5, amountMinor: 6050, currency: 'USD', category: 'food', type: 'expense', date: '2025-03-01T00:00:00.000Z' });
    expect(await expenses.find([made.id, 'no-such-id'])).toEqual([made]);
    expect((await api.get(`/api/expenses/${made.id}`, alice.token)).body.description).toBe('Dinner');
  });

  it('refuses what the route refuses, with the route’s 400 codes', async () => {
    await expect(expenses.create(owner, { description: '', amount: 5, category: 'food' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(expenses.create(owner, { description: 'x', amount: 5, category: 'no-such-category' })).rejects.toMatchObject({ code: 'UNKNOWN_CATEGORY' });
  });

  it('writes the caller’s statements in the same batch, or nothing at all', async () => {
    await platform.db.run(sql`create table if not exists test_link (expense_id text primary key, note text not null)`);
    const made = await expenses.create(owner, { description: 'Linked', amount: 1, category: 'food' }, (id) => [
      platform.db.run(sql`insert into test_link (expense_id, note) values (${id}, 'ok')`),
    ]);
    expect(await platform.db.all(sql`select note from test_link where expense_id = ${made.id}`)).toEqual([{ note: 'ok' }]);

    const before = (await api.get('/api/expenses?limit=200', alice.token)).body.length;
    await expect(
      expenses.create(owner, { description: 'Half', amount: 1, category: 'food' }, () => [platform.db.run(sql`insert into test_link (expense_id, note) values (null, null)`)]),
    ).rejects.toThrow();
    expect((await api.get('/api/expenses?limit=200', alice.token)).body.length).toBe(before);
  });
});
