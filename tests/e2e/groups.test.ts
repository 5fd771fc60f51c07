import { describe, expect, it } from 'vitest';
import { sharedServer } from './server.ts';

describe('groups and settle-up, over HTTP', () => {
  const { api } = sharedServer();

  it('shares expenses in a group, invites someone who registers later, and settles up to zero', async () => {
    const alice = await api.register(undefined, 'Alice');
    const bob = await api.register(undefined, 'Bob');
    const created = await api.post('/api/groups', { name: 'Trip to Paris', currency: 'USD', settings: { defaultSplitMethod: 'equal' } }, alice.token);
    expect(created).toMatchObject({ status: 201, body: { success: true, data: { members: [{ user: alice.id, role: 'admin', isActive: true }] } } });
    const id = created.body.data._id as string;

    expect((await api.post(`/api/groups/${id}/members`, { email: bob.email }, alice.token)).status).toBe(201);
    const carolEmail = `carol-${Math.random().toString(36).slice(2)}@example.com`;
    const invited = await api.post(`/api/groups/${id}/members`, { email: carolEmail }, alice.token);
    expect(invited).toMatchObject({ status: 201, body: { data: { invitations: [{ email: carolEmail }] } } });
    const carol = await api.register(carolEmail, 'Carol');
    const detail = await api.get(`/api/groups/${id}`, carol.token);
    expect(detail.status).toBe(200);
    expect(detail.body.data.members.map((m: { user: { name: string } }) => m.user.name)).toEqual(['Alice', 'Bob', 'Carol']);

    const expense = await api.post(`/api/groups/${id}/expenses`, { description: 'Hotel', amount: 300, category: 'travel' }, alice.token);
    expect(expense).toMatchObject({ status: 201, body: { data: { paidBy: alice.id, amount: 300, currency: 'USD' } } });
    expect((await api.post(`/api/groups/${id}/expenses`, { description: 'Taxi', amount: 30, category: 'transport' }, bob.token)).status).toBe(201);
    expect((await api.get(`/api/groups/${id}/statistics`, bob.token)).body.data).toMatchObject({ totalMembers: 3, totalExpenses: 2, totalAmount: 330, currency: 'USD' });

    // Expenses alone owe nobody anything (splits do that); a payment recorded between two
    // members does, and the suggested plan settles it.
    expect((await api.post(`/api/groups/${id}/settlements`, { fromUserId: bob.id, toUserId: alice.id, amount: 80 }, bob.token)).status).toBe(201);
    const plan = await api.get(`/api/groups/${id}/settlements/suggested`, carol.token);
    expect(plan.body.data.map((t: { from: { name: string }; to: { name: string }; amount: number }) => [t.from.name, t.to.name, t.amount])).toEqual([['Alice', 'Bob', 80]]);
    for (const t of plan.body.data) {
      const paid = await api.post(`/api/groups/${id}/settlements`, { fromUserId: t.from._id, toUserId: t.to._id, amount: t.amount }, alice.token);
      expect(paid.status).toBe(201);
    }
    const balances = await api.get(`/api/groups/${id}/balances`, alice.token);
    expect(balances.body.data.balances.map((b: { balance: number }) => b.balance)).toEqual([0, 0, 0]);
    expect((await api.get(`/api/groups/${id}/settlements`, alice.token)).body.count).toBe(2);
    expect((await api.get(`/api/groups/${id}/settlements/suggested`, alice.token)).body.count).toBe(0);
  });

  it('keeps a group from outsiders and admin actions from members', async () => {
    const alice = await api.register();
    const bob = await api.register();
    const stranger = await api.register();
    const id = (await api.post('/api/groups', { name: 'Flat' }, alice.token)).body.data._id as string;
    await api.post(`/api/groups/${id}/members`, { email: bob.email }, alice.token);
    expect((await api.get(`/api/groups/${id}`, stranger.token)).status).toBe(404);
    expect(await api.del(`/api/groups/${id}`, bob.token)).toMatchObject({ status: 403, body: { success: false, code: 'FORBIDDEN' } });
    expect((await api.del(`/api/groups/${id}/members/${bob.id}`, alice.token)).status).toBe(200);
    expect((await api.get(`/api/groups/${id}`, bob.token)).status).toBe(404);
    const bad = await api.post(`/api/groups/${id}/settlements`, { fromUserId: alice.id, toUserId: alice.id, amount: 5 }, alice.token);
    expect(bad).toMatchObject({ status: 400, body: { success: false, code: 'VALIDATION_FAILED' } });
  });

  it('changes settings (admins only) and lets members leave, the last admin naming an heir', async () => {
    const alice = await api.register();
    const bob = await api.register();
    const id = (await api.post('/api/groups', { name: 'Flat' }, alice.token)).body.data._id as string;
    await api.post(`/api/groups/${id}/members`, { email: bob.email }, alice.token);
    expect((await api.put(`/api/groups/${id}/settings`, { defaultSplitMethod: 'shares' }, bob.token)).status).toBe(403);
    const changed = await api.put(`/api/groups/${id}/settings`, { defaultSplitMethod: 'shares' }, alice.token);
    expect(changed).toMatchObject({ status: 200, body: { data: { settings: { defaultSplitMethod: 'shares' } } } });
    expect(await api.post(`/api/groups/${id}/leave`, {}, alice.token)).toMatchObject({ status: 409, body: { code: 'LAST_ADMIN' } });
    expect((await api.post(`/api/groups/${id}/leave`, { newAdminId: bob.id }, alice.token)).status).toBe(200);
    expect((await api.get(`/api/groups/${id}`, alice.token)).status).toBe(404);
    expect((await api.put(`/api/groups/${id}/settings`, { requireApproval: true }, bob.token)).status).toBe(200);
  });
});
