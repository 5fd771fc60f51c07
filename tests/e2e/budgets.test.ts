import { beforeAll, describe, expect, it } from 'vitest';
import { clearOfBoundary, DAY_MS } from '../support/clear-of-boundary.ts';
import { sharedServer } from './server.ts';

/**
 * The budgets flow over real HTTP against the host under test. Amounts are in USD, the
 * display currency, except one EUR budget: with the rate source offline its USD expenses
 * stay pending, counted apart and never guessed.
 */
describe('budgets over HTTP', () => {
  const { api } = sharedServer();
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };
  let food: { _id: string };
  let trip: { _id: string };

  beforeAll(async () => {
    // The server dates the spends and takes the current period from its own clock: the cases
    // expect one month (and one year, for the yearly budget) throughout, so they start clear of
    // midnight UTC, where both turn.
    await clearOfBoundary(DAY_MS, 30_000);
    alice = await api.register(undefined, 'Alice');
    bob = await api.register(undefined, 'Bob');
  }, 120_000 + 30_000);

  const spend = async (amount: number, category: string) => {
    // Dated now (the default): inside the current period of a monthly budget.
    const res = await api.post('/api/expenses', { description: category, amount, category }, alice.token);
    expect(res.status).toBe(201);
    return res.body._id as string;
  };

  it('creates budgets; a bad one is refused with the error shape', async () => {
    const bad = await api.post('/api/budgets', { name: 'Trip', amount: 500, period: 'custom', startDate: '2025-04-01' }, alice.token);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED', details: [{ path: 'endDate', message: expect.any(String) }] });

    const made = await api.post('/api/budgets', { name: 'Food', category: 'food', amount: 200, period: 'monthly', alertThreshold: 75 }, alice.token);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'Food', amount: 200, currency: 'USD', spent: 0, remaining: 200, percentageUsed: 0, status: 'on_track', pendingCount: 0 });
    food = made.body;

    const today = new Date().toISOString().slice(0, 10);
    const eur = await api.post('/api/budgets', { name: 'Travel', category: 'travel', amount: 300, currency: 'EUR', period: 'yearly' }, alice.token);
    expect(eur.status).toBe(201);
    trip = eur.body;
    expect(eur.body.startDate <= today).toBe(true);
  });

  it('shows spent and status change as expenses come in', async () => {
    await spend(100, 'food');
    let res = await api.get(`/api/budgets/${food._id}`, alice.token);
    expect(res.body).toMatchObject({ spent: 100, remaining: 100, percentageUsed: 50, status: 'on_track' });

    await spend(60, 'food');
    await spend(999, 'transport');
    res = await api.get(`/api/budgets/${food._id}`, alice.token);
    expect(res.body).toMatchObject({ spent: 160, remaining: 40, percentageUsed: 80, status: 'warning' });

    const last = await spend(50, 'food');
    res = await api.get(`/api/budgets/${food._id}`, alice.token);
    expect(res.body).toMatchObject({ spent: 210, remaining: -10, percentageUsed: 105, status: 'exceeded' });

    expect((await api.del(`/api/expenses/${last}`, alice.token)).status).toBe(200);
    res = await api.get(`/api/budgets/${food._id}`, alice.token);
    expect(res.body).toMatchObject({ spent: 160, status: 'warning' });
  });

  it('counts a USD expense on the EUR budget as pending while no rate is held', async () => {
    await spend(120, 'travel');
    const res = await api.get(`/api/budgets/${trip._id}`, alice.token);
    expect(res.body).toMatchObject({ currency: 'EUR', spent: 0, pendingCount: 1, status: 'on_track' });
  });

  it('lists alerts and the summary', async () => {
    const list = await api.get('/api/budgets', alice.token);
    expect(list.body.map((b: { _id: string }) => b._id)).toEqual([trip._id, food._id]);

    const alerts = await api.get('/api/budgets/alerts', alice.token);
    expect(alerts.status).toBe(200);
    expect(alerts.body).toEqual([list.body[1]]);

    const summary = await api.get('/api/budgets/summary', alice.token);
    expect(summary.status).toBe(200);
    // The EUR budget has no rate into USD yet: out of the money totals, counted apart.
    expect(summary.body).toEqual({
      currency: 'USD',
      totalBudgeted: 200,
      totalSpent: 160,
      remaining: 40,
      budgetCount: 2,
      byStatus: { on_track: 1, warning: 1, exceeded: 0 },
      pendingCount: 1,
      unconvertedBudgets: 1,
    });
  });

  it("answers 404 for another user's budget, which stays as it was", async () => {
    const before = (await api.get(`/api/budgets/${food._id}`, alice.token)).body;
    for (const res of [
      await api.get(`/api/budgets/${food._id}`, bob.token),
      await api.put(`/api/budgets/${food._id}`, { amount: 1 }, bob.token),
      await api.del(`/api/budgets/${food._id}`, bob.token),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
    }
    expect((await api.get('/api/budgets', bob.token)).body).toEqual([]);
    expect((await api.get(`/api/budgets/${food._id}`, alice.token)).body).toEqual(before);
  });

  it('updates and deletes', async () => {
    const res = await api.put(`/api/budgets/${food._id}`, { amount: 150 }, alice.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ amount: 150, spent: 160, status: 'exceeded' });
    const gone = await api.del(`/api/budgets/${food._id}`, alice.token);
    expect(gone.body).toEqual({ success: true, message: 'Budget deleted' });
    expect((await api.get(`/api/budgets/${food._id}`, alice.token)).status).toBe(404);
  });
});
