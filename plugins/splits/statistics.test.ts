import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { factor, LAST_RATE_DAY } from '../../tests/support/ecb-rates.ts';
import { startRatesServer } from '../../tests/support/rates-server.ts';

describe('split statistics across currencies', () => {
  let rates: Awaited<ReturnType<typeof startRatesServer>>;
  let app: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    rates = await startRatesServer();
    app = await createTestApp({ rates, clock: { now: () => new Date(`${LAST_RATE_DAY}T12:00:00.000Z`) } });
    await app.platform.jobs.run('currency.refresh', 'manual');
  });
  afterAll(() => rates?.close());

  it('converts each unpaid share into the caller’s display currency at its expense’s day', async () => {
    const { api } = app;
    const erin = await api.register(undefined, 'Erin');
    const fred = await api.register(undefined, 'Fred');
    expect((await api.patch('/api/auth/me', { settings: { currency: 'EUR' } }, erin.token)).status).toBe(200);
    const group = (await api.post('/api/groups', { name: 'Flat', currency: 'USD' }, fred.token)).body.data._id;
    expect((await api.post(`/api/groups/${group}/members`, { email: erin.email }, fred.token)).status).toBeLessThan(300);
    for (const [amount, currency] of [
      [100, 'USD'],
      [3001, 'JPY'],
    ] as const) {
      const expenseId = (await api.post('/api/expenses', { description: 'Shopping', amount, currency, category: 'shopping', date: LAST_RATE_DAY }, fred.token)).body._id;
      expect((await api.post('/api/splits', { expenseId, groupId: group }, fred.token)).status).toBe(201);
    }

    // Erin owes 50 USD and 1500 JPY (Fred, the payer, took the odd yen).
    const usd = factor('USD', 'EUR', LAST_RATE_DAY)!;
    const jpy = factor('JPY', 'EUR', LAST_RATE_DAY)!;
    const expected = (Math.round(50 * usd * 100) + Math.round(1500 * jpy * 100)) / 100;
    const erinStats = (await api.get('/api/splits/statistics/user', erin.token)).body.data;
    expect(erinStats).toMatchObject({ currency: 'EUR', totalOwed: expected, totalOwedTo: 0, unconverted: 0, pendingPayments: 2 });
    expect(erinStats.pendingSplits.map((p: { amount: number; currency: string }) => [p.amount, p.currency])).toEqual([
      [1500, 'JPY'],
      [50, 'USD'],
    ]);

    const fredStats = (await api.get('/api/splits/statistics/user', fred.token)).body.data;
    const owedTo = (5000 + Math.round(1500 * factor('JPY', 'USD', LAST_RATE_DAY)! * 100)) / 100;
    expect(fredStats).toMatchObject({ currency: 'USD', totalOwed: 0, totalOwedTo: owedTo, completedPayments: 2, pendingPayments: 0 });
  });
});
