import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpenseFlowClient } from '../../openapi/client.ts';
import { startRatesServer } from '../support/rates-server.ts';
import { clearOfBoundary, DAY_MS } from '../support/clear-of-boundary.ts';
import { hostName, startServer } from './server.ts';

// Servers start in beforeAll, not while collecting, so a run filtered with -t starts none it skips.
describe(`analytics on a ${hostName} host`, () => {
  let rates: Awaited<ReturnType<typeof startRatesServer>>;
  let server: Awaited<ReturnType<typeof startServer>>;
  let client: ReturnType<typeof createExpenseFlowClient>;
  let token: string;
  // Entries in the display currency (USD) and the default zone (UTC): no rate is needed.
  let now: Date;
  let thisMonth: string;
  let lastMonthDay: string;

  beforeAll(async () => {
    rates = await startRatesServer();
    server = await startServer({ EXCHANGE_RATES_URL: rates.dailyUrl, EXCHANGE_RATES_HISTORY_URL: rates.historyUrl });
    const registered = await createExpenseFlowClient(server.baseUrl).POST('/api/auth/register', {
      body: { name: 'Ana', email: 'ana@example.com', password: 'password123' },
    });
    token = registered.data!.token;
    client = createExpenseFlowClient(server.baseUrl, token);
    // The server dates the entries when it stores them and counts "this month" when asked: the
    // cases expect one UTC day throughout, so they start clear of midnight (after the host's
    // start, which under wrangler dev can take a while).
    await clearOfBoundary(DAY_MS, 30_000);
    now = new Date();
    thisMonth = now.toISOString().slice(0, 7);
    lastMonthDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 12)).toISOString();
    const entries = [
      { description: 'lunch', amount: 12.5, category: 'food', merchant: 'Deli' },
      { description: 'bus', amount: 7.5, category: 'transport', merchant: 'Metro' },
      { description: 'pay', amount: 100, category: 'salary', type: 'income' as const },
      { description: 'boots', amount: 40, category: 'shopping', date: lastMonthDay },
    ];
    for (const body of entries) expect((await client.POST('/api/expenses', { body })).response.status).toBe(201);
  }, 120_000 + 30_000);
  afterAll(async () => {
    await server?.stop();
    await rates?.close();
  });

  it('shows the dashboard: balance, this month, savings rate, breakdown and a 12-month trend', async () => {
    const { data, response } = await client.GET('/api/analytics/dashboard');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({
      totalBalance: 40,
      monthlyIncome: 100,
      monthlyExpenses: 20,
      savingsRate: 80,
      categoryBreakdown: [
        { category: 'food', amount: 12.5, percentage: 62.5 },
        { category: 'transport', amount: 7.5, percentage: 37.5 },
      ],
      pendingConversions: 0,
    });
    expect(data!.monthlyTrend).toHaveLength(12);
    expect(data!.monthlyTrend.at(-1)).toEqual({ month: thisMonth, income: 100, expenses: 20 });
    expect(data!.monthlyTrend.at(-2)).toEqual({ month: lastMonthDay.slice(0, 7), income: 0, expenses: 40 });
    expect(data!.monthlyTrend[0]).toMatchObject({ income: 0, expenses: 0 });
  });

  it('reports this month’s spending against the month before', async () => {
    const { data, response } = await client.GET('/api/analytics/spending/{period}', { params: { path: { period: 'monthly' } } });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({
      period: 'monthly',
      currency: 'USD',
      timeZone: 'UTC',
      firstDay: `${thisMonth}-01`,
      totalSpent: 20,
      totalIncome: 100,
      daysCounted: now.getUTCDate(),
      topMerchants: [
        { merchant: 'Deli', amount: 12.5, count: 1 },
        { merchant: 'Metro', amount: 7.5, count: 1 },
      ],
      previous: { totalSpent: 40 },
      change: { amount: -20, percent: -50 },
    });
    expect(data!.buckets.find((b) => b.bucket === now.toISOString().slice(0, 10))).toEqual({ bucket: now.toISOString().slice(0, 10), spent: 20, income: 100 });
  });

  it('refuses an unknown period with 400 and the error shape, and a call without a token with 401', async () => {
    const res = await fetch(`${server.baseUrl}/api/analytics/spending/daily`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ success: false, code: 'VALIDATION_FAILED', details: [{ path: 'param.period' }] });
    const anonymous = await fetch(`${server.baseUrl}/api/analytics/dashboard`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ success: false, code: 'NO_TOKEN', error: 'No token provided' });
  });
});
