import { describe, expect, it } from 'vitest';
import { sharedServer } from './server.ts';

/** The routes of scheduled work and account settings that arrived with the jobs and security issues. */
describe('recurring expenses, the dev outbox and two-factor status, over HTTP', () => {
  const { api } = sharedServer();

  it('keeps a recurring expense: created, listed, changed, paused, deleted; another user sees none of it', async () => {
    const alice = await api.register();
    const bob = await api.register();
    const created = await api.post(
      '/api/recurring',
      { description: 'Rent', amount: 950, currency: 'USD', category: 'housing', frequency: 'monthly', startDate: '2099-01-31' },
      alice.token,
    );
    expect(created).toMatchObject({ status: 201, body: { description: 'Rent', amount: 950, frequency: 'monthly', interval: 1, nextDate: '2099-01-31', paused: false } });
    const id = created.body._id as string;

    expect((await api.get('/api/recurring', alice.token)).body.map((r: { _id: string }) => r._id)).toEqual([id]);
    expect((await api.put(`/api/recurring/${id}`, { amount: 990, paused: true }, alice.token)).body).toMatchObject({ amount: 990, paused: true });
    expect((await api.get(`/api/recurring/${id}`, alice.token)).body).toMatchObject({ amount: 990, paused: true });

    expect((await api.get(`/api/recurring/${id}`, bob.token)).status).toBe(404);
    expect((await api.get('/api/recurring', bob.token)).body).toEqual([]);
    expect((await api.post('/api/recurring', { description: 'x', amount: -1, frequency: 'hourly', startDate: 'soon' }, alice.token)).status).toBe(400);

    expect((await api.del(`/api/recurring/${id}`, alice.token)).status).toBe(200);
    expect((await api.get(`/api/recurring/${id}`, alice.token)).status).toBe(404);
  });

  it("shows a user only their own outbox outside production, and their two-factor status", async () => {
    const alice = await api.register();
    const outbox = await api.get('/api/dev/outbox', alice.token);
    expect(outbox.status).toBe(200);
    expect(Array.isArray(outbox.body)).toBe(true);
    expect(outbox.body.every((m: { userId?: string }) => m.userId === undefined || m.userId === alice.id)).toBe(true);
    expect((await api.get('/api/dev/outbox')).status).toBe(401);
    expect(await api.get('/api/auth/2fa/status', alice.token)).toMatchObject({ status: 200, body: { enabled: false } });
  });
});
