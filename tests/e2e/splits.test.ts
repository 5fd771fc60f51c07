import { describe, expect, it } from 'vitest';
import { sharedServer } from './server.ts';

describe('splits, over HTTP', () => {
  const { api } = sharedServer();

  it('splits a group expense, takes payments, reminds and counts', async () => {
    const alice = await api.register(undefined, 'Alice');
    const bob = await api.register(undefined, 'Bob');
    const carol = await api.register(undefined, 'Carol');

    const group = await api.post('/api/groups', { name: 'Trip to Paris', currency: 'USD' }, alice.token);
    expect(group.status).toBe(201);
    const groupId = group.body.data._id as string;
    for (const { email } of [bob, carol]) {
      const added = await api.post(`/api/groups/${groupId}/members`, { email }, alice.token);
      expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
    }
    // The group only links the expense; the split below records the debts.
    const expense = await api.post(`/api/groups/${groupId}/expenses`, { description: 'Restaurant dinner', amount: 100, category: 'food' }, alice.token);
    expect(expense.status, JSON.stringify(expense.body)).toBe(201);
    const expenseId = expense.body.data.expense as string;

    const created = await api.post('/api/splits', { expenseId, groupId, splitMethod: 'equal', notes: 'Dinner at restaurant' }, alice.token);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const split = created.body.data;
    expect(split).toMatchObject({ status: 'partial', totalAmount: 100, splitMethod: 'equal', group: { _id: groupId, name: 'Trip to Paris' } });
    expect(split.participants.map((p: { amount: number; isPaid: boolean }) => [p.amount, p.isPaid])).toEqual([
      [33.34, true],
      [33.33, false],
      [33.33, false],
    ]);
    expect((await api.post('/api/splits', { expenseId, groupId }, alice.token)).status).toBe(409);

    // The debts are in the group's balances: Alice is owed both other shares.
    const balances = await api.get(`/api/groups/${groupId}/balances`, alice.token);
    const balanceOf = (b: typeof balances, id: string) => b.body.data.balances.find((x: { user: { _id: string } }) => x.user._id === id)?.balance;
    expect([balanceOf(balances, alice.id), balanceOf(balances, bob.id), balanceOf(balances, carol.id)]).toEqual([66.66, -33.33, -33.33]);

    expect((await api.get('/api/splits', bob.token)).body).toMatchObject({ success: true, count: 1, data: [{ _id: split._id }] });

    const reminded = await api.post(`/api/splits/${split._id}/remind/${carol.id}`, undefined, alice.token);
    expect(reminded.status).toBe(200);
    const again = await api.post(`/api/splits/${split._id}/remind/${carol.id}`, undefined, alice.token);
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(86_000);
    const inbox = await api.get('/api/notifications', carol.token);
    expect(inbox.body.map((n: { type: string; data: { splitId: string } }) => [n.type, n.data.splitId])).toEqual([['split_reminder', split._id]]);

    const [b, c] = await Promise.all([api.patch(`/api/splits/${split._id}/pay`, undefined, bob.token), api.patch(`/api/splits/${split._id}/pay`, undefined, carol.token)]);
    expect([b.status, c.status]).toEqual([200, 200]);
    const settled = await api.get(`/api/splits/${split._id}`, alice.token);
    expect(settled.body.data.status).toBe('settled');
    const after = await api.get(`/api/groups/${groupId}/balances`, alice.token);
    expect([balanceOf(after, alice.id), balanceOf(after, bob.id), balanceOf(after, carol.id)]).toEqual([0, 0, 0]);

    const stats = await api.get('/api/splits/statistics/user', bob.token);
    expect(stats.body).toEqual({
      success: true,
      data: { currency: 'USD', totalSplits: 1, pendingPayments: 0, completedPayments: 1, totalOwed: 0, totalOwedTo: 0, unconverted: 0, pendingSplits: [] },
    });
  });
});
