/**
 * Budgets on the edge host: created and spent against through the Worker, then re-checked by
 * the Worker's own `scheduled()` on the budgets job's cron. Everything is in USD, the display
 * currency, so no exchange rate is needed and this file is independent of the others.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import worker, { type Env } from '../../hosts/worker.ts';
import { clearOfBoundary, DAY_MS } from '../support/clear-of-boundary.ts';
import { workerApi } from './worker-api.ts';

const api = workerApi();

// The budgets.recheck job's cron string, as in wrangler.toml's [triggers].
const CRON = '*/15 * * * *';

async function runRecheck() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: CRON }), env as unknown as Env, ctx);
  // The job runs in waitUntil; a failed job rejects here.
  await waitOnExecutionContext(ctx);
}

describe('budgets on workerd', () => {
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };
  let food: { _id: string };

  beforeAll(async () => {
    // The Worker dates the spends and takes the current period from its own clock: the cases
    // expect one month throughout, so they start clear of midnight UTC, where months turn.
    await clearOfBoundary(DAY_MS, 30_000);
    alice = await api.register(`alice-${crypto.randomUUID()}@example.com`, 'Alice');
    bob = await api.register(`bob-${crypto.randomUUID()}@example.com`, 'Bob');
  }, 60_000 + 30_000);

  it('creates a budget and counts the expenses of its current period', async () => {
    const made = await api.post('/api/budgets', { name: 'Food', category: 'food', amount: 100, period: 'monthly' }, alice.token);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ spent: 0, remaining: 100, status: 'on_track', currency: 'USD', alertThreshold: 80 });
    food = made.body;

    // Dated now (the default): inside this month's period, whatever the day.
    for (const amount of [40, 45.5]) {
      const res = await api.post('/api/expenses', { description: 'Groceries', amount, category: 'food' }, alice.token);
      expect(res.status).toBe(201);
    }
    await api.post('/api/expenses', { description: 'Bus', amount: 500, category: 'transport' }, alice.token);

    const list = await api.get('/api/budgets', alice.token);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ _id: food._id, spent: 85.5, remaining: 14.5, percentageUsed: 85.5, status: 'warning' })]);
  });

  it('runs the re-check from scheduled() on its cron; twice changes nothing the user sees', async () => {
    const before = await Promise.all(['/api/budgets', '/api/budgets/alerts', '/api/budgets/summary'].map((p) => api.get(p, alice.token)));
    await runRecheck();
    const once = await Promise.all(['/api/budgets', '/api/budgets/alerts', '/api/budgets/summary'].map((p) => api.get(p, alice.token)));
    await runRecheck();
    const twice = await Promise.all(['/api/budgets', '/api/budgets/alerts', '/api/budgets/summary'].map((p) => api.get(p, alice.token)));

    for (const res of [...before, ...once, ...twice]) expect(res.status).toBe(200);
    expect(once.map((r) => r.body)).toEqual(before.map((r) => r.body));
    expect(twice.map((r) => r.body)).toEqual(before.map((r) => r.body));
    expect(twice[1]!.body.map((b: { _id: string }) => b._id)).toEqual([food._id]);
    expect(twice[2]!.body).toMatchObject({ currency: 'USD', totalBudgeted: 100, totalSpent: 85.5, remaining: 14.5, byStatus: { warning: 1 } });
  });

  it('shows the change of a lowered amount', async () => {
    const res = await api.put(`/api/budgets/${food._id}`, { amount: 80 }, alice.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ amount: 80, spent: 85.5, remaining: -5.5, status: 'exceeded' });
    await runRecheck();
    expect((await api.get(`/api/budgets/${food._id}`, alice.token)).body).toEqual(res.body);
  });

  it("answers 404 for another user's budget and leaves it as it was", async () => {
    const before = (await api.get(`/api/budgets/${food._id}`, alice.token)).body;
    expect((await api.get(`/api/budgets/${food._id}`, bob.token)).status).toBe(404);
    expect((await api.put(`/api/budgets/${food._id}`, { amount: 1 }, bob.token)).status).toBe(404);
    expect((await api.del(`/api/budgets/${food._id}`, bob.token)).status).toBe(404);
    expect((await api.get('/api/budgets', bob.token)).body).toEqual([]);
    expect((await api.get(`/api/budgets/${food._id}`, alice.token)).body).toEqual(before);
  });
});
