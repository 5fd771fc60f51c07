import { describe, expect, it } from 'vitest';
import { sharedServer } from './server.ts';

describe('goals and their notifications, over HTTP', () => {
  const { api } = sharedServer();

  it('saves toward a goal until it is completed, and tells the user along the way', async () => {
    const alice = await api.register();
    const created = await api.post('/api/goals', { title: 'Emergency Fund', targetAmount: 1000, goalType: 'savings', priority: 'high', targetDate: '2099-12-31' }, alice.token);
    expect(created).toMatchObject({ status: 201, body: { status: 'active', progress: 0, remainingAmount: 1000 } });
    const id = created.body._id as string;

    expect((await api.patch(`/api/goals/${id}/contribute`, { amount: 600, note: 'bonus' }, alice.token)).body).toMatchObject({ currentAmount: 600, progress: 60 });
    const done = await api.patch(`/api/goals/${id}/contribute`, { amount: 400 }, alice.token);
    expect(done).toMatchObject({ status: 200, body: { currentAmount: 1000, progress: 100, remainingAmount: 0, monthlyNeeded: 0, status: 'completed' } });

    const read = await api.get(`/api/goals/${id}`, alice.token);
    expect(read.body.contributions.map((c: { amount: number }) => c.amount)).toEqual([400, 600]);
    expect((await api.get('/api/goals?status=completed', alice.token)).body.map((g: { _id: string }) => g._id)).toEqual([id]);

    const notifications = await api.get('/api/notifications', alice.token);
    expect(notifications.body.map((n: { type: string; data: { milestone?: number } }) => [n.type, n.data.milestone])).toEqual([
      ['goal_achieved', undefined],
      ['goal_milestone', 75],
      ['goal_milestone', 50],
      ['goal_milestone', 25],
    ]);
    expect((await api.get('/api/notifications/unread-count', alice.token)).body).toEqual({ count: 4 });
    expect((await api.patch('/api/notifications/mark-all-read', undefined, alice.token)).body).toEqual({ success: true, marked: 4 });
    expect((await api.get('/api/notifications?read=false', alice.token)).body).toEqual([]);
  });

  it('keeps one user’s goals and notifications from another (404)', async () => {
    const alice = await api.register();
    const bob = await api.register();
    const goal = (await api.post('/api/goals', { title: 'Car', targetAmount: 100 }, alice.token)).body;
    await api.patch(`/api/goals/${goal._id}/contribute`, { amount: 30 }, alice.token);
    const [notification] = (await api.get('/api/notifications', alice.token)).body;

    expect((await api.get(`/api/goals/${goal._id}`, bob.token)).status).toBe(404);
    expect((await api.patch(`/api/goals/${goal._id}/contribute`, { amount: 70 }, bob.token)).status).toBe(404);
    expect((await api.del(`/api/goals/${goal._id}`, bob.token)).status).toBe(404);
    expect((await api.put(`/api/notifications/${notification._id}/read`, undefined, bob.token)).status).toBe(404);
    expect((await api.del(`/api/notifications/${notification._id}`, bob.token)).status).toBe(404);

    expect((await api.get(`/api/goals/${goal._id}`, alice.token)).body).toMatchObject({ currentAmount: 30, status: 'active' });
    expect((await api.get('/api/notifications', alice.token)).body).toEqual([notification]);
  });

  it('refuses bad input with the error shape, never a 5xx', async () => {
    const user = await api.register();
    const bad = await api.post('/api/goals', { title: '', targetAmount: -1, goalType: 'lottery' }, user.token);
    expect(bad).toMatchObject({ status: 400, body: { success: false, code: 'VALIDATION_FAILED' } });
    const goal = (await api.post('/api/goals', { title: 'Trip', targetAmount: 100 }, user.token)).body;
    expect((await api.patch(`/api/goals/${goal._id}/contribute`, { amount: -1 }, user.token)).status).toBe(400);
    expect((await api.get('/api/notifications?read=maybe', user.token)).status).toBe(400);
    expect((await api.post('/api/notifications/preferences', { channels: { push: { enabled: true } } }, user.token)).status).toBe(400);
  });
});
