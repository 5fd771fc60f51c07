/**
 * Exchange rates and expenses on the edge host, in order: rates are global in the shared sqld,
 * so this is the one file that loads them, and its `it`s build on each other (vitest runs
 * them in sequence). The first rates request finds none and starts a load in the background
 * (waitUntil), from the ECB stand-in; the Worker's own `scheduled()` refreshes them later.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import worker, { type Env } from '../../hosts/worker.ts';
import { workerApi } from './worker-api.ts';

const api = workerApi();

// The one cron string of wrangler.toml's [triggers]: the currency plugin's refresh job.
const CRON = '5 */3 * * *';

// From tests/fixtures/ecb: the daily file is 2025-05-09 (USD 1.1252 per EUR); the 90-day
// history holds 2025-03-14 (EXPENSE_DAY) at USD 1.0889 per EUR.
const NEWEST_DAY = '2025-05-09';
const USD_PER_EUR_NEWEST = 1.1252;
const EXPENSE_DAY = '2025-03-14';

describe('rates and expenses on workerd', () => {
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };
  let pendingId: string;

  beforeAll(async () => {
    // Both display in USD, the default.
    alice = await api.register(`alice-${crypto.randomUUID()}@example.com`, 'Alice');
    bob = await api.register(`bob-${crypto.randomUUID()}@example.com`, 'Bob');
  });

  it('stores a EUR expense for a USD user as pending conversion', async () => {
    const res = await api.post(
      '/api/expenses',
      { description: 'Dinner in Lyon', amount: 80, currency: 'EUR', category: 'food', date: EXPENSE_DAY },
      alice.token,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      originalAmount: 80,
      originalCurrency: 'EUR',
      displayAmount: 80,
      displayCurrency: 'EUR',
      conversionPending: true,
      date: `${EXPENSE_DAY}T00:00:00.000Z`,
    });
    pendingId = res.body._id;
  });

  let loadedAt: string;

  it('answers 503 with the error shape before any rates are loaded, and a short Retry-After', async () => {
    const res = await api.get('/api/currency/rates', alice.token);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.body).toEqual({ success: false, error: expect.any(String), code: 'RATES_UNAVAILABLE', requestId: expect.any(String) });
  });

  it('has them within seconds, loaded in the background by that request, without a cron tick', async () => {
    let res = await api.get('/api/currency/rates?base=EUR&symbols=USD', alice.token);
    for (let i = 0; i < 100 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await api.get('/api/currency/rates?base=EUR&symbols=USD', alice.token);
    }
    expect(res.body).toEqual({ base: 'EUR', date: NEWEST_DAY, rates: { USD: USD_PER_EUR_NEWEST }, lastUpdated: expect.any(String) });
    loadedAt = res.body.lastUpdated;
    // The rates show before that run ends (its event listeners, its lease): until it has, a cron
    // tick finds the job leased and skips, as it should. The next case needs the tick to run.
    const demandRunEnded = async () => {
      const health = await api.get('/health');
      const job = (health.body.jobs as { name: string; lastRun: { trigger: string; finishedAt: string | null } | null }[]).find((j) => j.name === 'currency.refresh');
      return job?.lastRun?.trigger === 'demand' && job.lastRun.finishedAt !== null;
    };
    for (let i = 0; i < 100 && !(await demandRunEnded()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await demandRunEnded()).toBe(true);
  });

  it("refreshes the rates from the Worker's scheduled() on the wrangler.toml cron", async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: CRON }), env as unknown as Env, ctx);
    // The job runs in waitUntil; a failed job rejects here.
    await waitOnExecutionContext(ctx);

    const res = await api.get('/api/currency/rates?base=EUR&symbols=USD', alice.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ base: 'EUR', date: NEWEST_DAY, rates: { USD: USD_PER_EUR_NEWEST }, lastUpdated: expect.any(String) });
    // Fetched again: the day's rows carry the new fetch time.
    expect(res.body.lastUpdated > loadedAt).toBe(true);
  });

  it('converts the pending expense at the rate of its own day', async () => {
    const res = await api.get(`/api/expenses/${pendingId}`, alice.token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      _id: pendingId,
      originalAmount: 80,
      originalCurrency: 'EUR',
      displayCurrency: 'USD',
      conversionPending: false,
    });
    // 80 EUR × 1.0889 USD per EUR on EXPENSE_DAY = 87.112 USD, rounded to cents.
    expect(res.body.displayAmount).toBe(87.11);
  });

  it('pages the list with a Link header', async () => {
    const later = await api.post(
      '/api/expenses',
      { description: 'Taxi', amount: 12.5, currency: 'USD', category: 'transport', date: '2025-03-17' },
      alice.token,
    );
    expect(later.status).toBe(201);

    const first = await api.get('/api/expenses?limit=1', alice.token);
    expect(first.status).toBe(200);
    expect(first.body.map((e: { _id: string }) => e._id)).toEqual([later.body._id]);
    const link = first.headers.get('link');
    expect(link).toMatch(/^<\/api\/expenses\?[^>]*limit=1[^>]*>; rel="next"$/);

    const next = await api.get(/^<([^>]+)>/.exec(link!)![1]!, alice.token);
    expect(next.status).toBe(200);
    expect(next.body.map((e: { _id: string }) => e._id)).toEqual([pendingId]);
    expect(next.headers.get('link')).toBeNull();
  });

  it("answers 404 for another user's expense, and lists none of it", async () => {
    const res = await api.get(`/api/expenses/${pendingId}`, bob.token);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
    const list = await api.get('/api/expenses', bob.token);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);
  });

  it('answers 401 without a token or with a bad one', async () => {
    expect((await api.get('/api/expenses')).status).toBe(401);
    const bad = await api.get(`/api/expenses/${pendingId}`, `${alice.token}x`);
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ success: false, code: 'INVALID_TOKEN' });
  });
});
