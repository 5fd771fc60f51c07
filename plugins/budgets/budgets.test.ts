import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvents } from '../../core/events.ts';
import { createTestApp } from '../../tests/support/app.ts';
import { factor } from '../../tests/support/ecb-rates.ts';
import { startRatesServer } from '../../tests/support/rates-server.ts';

type Crossing = DomainEvents['budget.threshold_crossed'];

// Inside the fixture's rate days (2025-02-06 to 2025-05-09), so every conversion has a rate.
const APRIL_15 = new Date('2025-04-15T12:00:00.000Z');

describe('budgets', () => {
  let rates: Awaited<ReturnType<typeof startRatesServer>>;
  let now = APRIL_15;
  let app: Awaited<ReturnType<typeof createTestApp>>;
  let api: Awaited<ReturnType<typeof createTestApp>>['api'];
  const crossings: Crossing[] = [];

  beforeAll(async () => {
    rates = await startRatesServer();
    app = await createTestApp({ rates, clock: { now: () => now } });
    api = app.api;
    await app.platform.jobs.run('currency.refresh', 'manual');
    app.platform.events.on('budget.threshold_crossed', (e) => void crossings.push(e));
  });
  afterAll(() => rates?.close());

  /** The events since the last call. */
  const drain = () => crossings.splice(0);

  const expense = async (token: string, body: Record<string, unknown>) => {
    const res = await api.post('/api/expenses', { description: 'x', category: 'food', ...body }, token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body._id as string;
  };
  const budget = async (token: string, body: Record<string, unknown>) => {
    const res = await api.post('/api/budgets', { name: 'B', period: 'monthly', ...body }, token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  /** Each expense converted at its own day's fixture rate, summed in JS: the test's own answer. */
  const converted = (rows: { amount: number; currency: string; date: string }[], to: string) => {
    let sum = 0;
    let pending = 0;
    for (const r of rows) {
      const f = factor(r.currency, to, r.date.slice(0, 10));
      if (f === null) pending++;
      else sum += r.amount * f;
    }
    return { sum, pending };
  };
  const near = (got: number, want: number, unit = 0.01) => expect(Math.abs(got - want)).toBeLessThanOrEqual(unit + 1e-9);

  describe('input', () => {
    let token: string;
    let id: string;
    beforeAll(async () => {
      ({ token } = await api.register());
      id = (await budget(token, { name: 'Food', amount: 500, category: 'food' }))._id;
    });

    const valid = { name: 'Food', amount: 500, period: 'monthly' };
    it.each<[string, Record<string, unknown>]>([
      ['a missing name', { amount: 500, period: 'monthly' }],
      ['an empty name', { ...valid, name: '   ' }],
      ['a name over 100 characters', { ...valid, name: 'n'.repeat(101) }],
      ['a category over 40 characters', { ...valid, category: 'c'.repeat(41) }],
      ['a missing amount', { name: 'Food', period: 'monthly' }],
      ['a negative amount', { ...valid, amount: -5 }],
      ['a zero amount', { ...valid, amount: 0 }],
      ['an amount as text', { ...valid, amount: '500' }],
      ['more decimals than the currency has', { ...valid, amount: 10.5, currency: 'JPY' }],
      ['an amount of 10^12', { ...valid, amount: 1e12 }],
      ['a bad period', { ...valid, period: 'daily' }],
      ['a custom period without endDate', { ...valid, period: 'custom', startDate: '2025-04-01' }],
      ['an endDate before startDate', { ...valid, startDate: '2025-04-10', endDate: '2025-04-09' }],
      ['a startDate that is not a day', { ...valid, startDate: '2025-02-30' }],
      ['a startDate as a date-time', { ...valid, startDate: '2025-04-01T00:00:00Z' }],
      ['a threshold of 0', { ...valid, alertThreshold: 0 }],
      ['a threshold over 100', { ...valid, alertThreshold: 101 }],
      ['a fractional threshold', { ...valid, alertThreshold: 80.5 }],
      ['an unknown currency', { ...valid, currency: 'XYZ' }],
      ['a currency over 3 letters', { ...valid, currency: 'EUROS' }],
    ])('refuses a create with %s: 400 VALIDATION_FAILED, nothing stored', async (_, body) => {
      const res = await api.post('/api/budgets', body, token);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED', error: expect.any(String) });
      expect((await api.get('/api/budgets', token)).body).toHaveLength(1);
    });

    it.each<[string, Record<string, unknown>]>([
      ['an empty update', {}],
      ['only unknown fields', { colour: 'red' }],
      ['a bad period', { period: 'fortnightly' }],
      ['a switch to custom without an endDate', { period: 'custom' }],
      ['an endDate before the stored startDate', { endDate: '2025-03-31' }],
      ['a null name', { name: null }],
      ['a negative amount', { amount: -1 }],
      ['a threshold of 150', { alertThreshold: 150 }],
      ['an unknown currency', { currency: 'ABC' }],
      ['a currency change the amount does not fit', { amount: 10.25, currency: 'JPY' }],
    ])('refuses an update with %s: 400, the budget unchanged', async (_, body) => {
      const before = (await api.get(`/api/budgets/${id}`, token)).body;
      const res = await api.put(`/api/budgets/${id}`, body, token);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
      expect((await api.get(`/api/budgets/${id}`, token)).body).toEqual(before);
    });

    it('answers 404 for an unknown id and 401 without a token', async () => {
      expect((await api.get('/api/budgets/nope', token)).status).toBe(404);
      expect((await api.put('/api/budgets/nope', { name: 'x' }, token)).status).toBe(404);
      expect((await api.del('/api/budgets/nope', token)).status).toBe(404);
      expect((await api.get('/api/budgets')).status).toBe(401);
      expect((await api.get('/api/budgets/summary')).status).toBe(401);
    });

    it('keeps a user to 100 budgets, even when created at once', async () => {
      const { token } = await api.register();
      const made = await Promise.all(Array.from({ length: 103 }, (_, i) => api.post('/api/budgets', { name: `b${i}`, amount: 10, period: 'monthly' }, token)));
      expect(made.filter((r) => r.status === 201)).toHaveLength(100);
      expect(made.filter((r) => r.status === 400).map((r) => r.body.code)).toEqual(['VALIDATION_FAILED', 'VALIDATION_FAILED', 'VALIDATION_FAILED']);
      expect((await api.get('/api/budgets', token)).body).toHaveLength(100);
    });
  });

  describe('lifecycle', () => {
    it('creates with defaults, reads, updates partially and deletes', async () => {
      const { token } = await api.register();
      const made = await api.post('/api/budgets', { name: ' Monthly Food Budget ', category: 'Food', amount: 500, period: 'monthly' }, token);
      expect(made.status).toBe(201);
      expect(made.body).toEqual({
        _id: expect.any(String),
        name: 'Monthly Food Budget',
        category: 'food',
        amount: 500,
        currency: 'USD',
        period: 'monthly',
        // Without a startDate a monthly budget counts from the start of this month.
        startDate: '2025-04-01',
        endDate: null,
        alertThreshold: 80,
        spent: 0,
        remaining: 500,
        percentageUsed: 0,
        status: 'on_track',
        pendingCount: 0,
        periodStart: '2025-04-01T00:00:00.000Z',
        periodEnd: '2025-05-01T00:00:00.000Z',
        version: 1,
        createdAt: APRIL_15.toISOString(),
        updatedAt: APRIL_15.toISOString(),
      });
      const id = made.body._id;
      expect((await api.get(`/api/budgets/${id}`, token)).body).toEqual(made.body);
      expect((await api.get('/api/budgets', token)).body).toEqual([made.body]);

      const updated = await api.put(`/api/budgets/${id}`, { amount: 250.5, alertThreshold: 90, category: null }, token);
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ _id: id, name: 'Monthly Food Budget', amount: 250.5, alertThreshold: 90, category: null, period: 'monthly' });

      const weekly = await api.put(`/api/budgets/${id}`, { period: 'weekly' }, token);
      // 2025-04-15 is a Tuesday: the week began on Monday the 14th.
      expect(weekly.body).toMatchObject({ periodStart: '2025-04-14T00:00:00.000Z', periodEnd: '2025-04-21T00:00:00.000Z' });

      const gone = await api.del(`/api/budgets/${id}`, token);
      expect(gone.status).toBe(200);
      expect(gone.body).toEqual({ success: true, message: 'Budget deleted' });
      expect((await api.get(`/api/budgets/${id}`, token)).status).toBe(404);
      expect((await api.get('/api/budgets', token)).body).toEqual([]);
    });

    it('aligns periods: quarter, year, custom, clipped to startDate, the last period after endDate', async () => {
      const { token } = await api.register();
      const cases: [Record<string, unknown>, string, string][] = [
        [{ period: 'quarterly' }, '2025-04-01', '2025-07-01'],
        [{ period: 'yearly' }, '2025-01-01', '2026-01-01'],
        [{ period: 'yearly', startDate: '2025-03-10' }, '2025-03-10', '2026-01-01'],
        [{ period: 'monthly', startDate: '2025-04-10', endDate: '2025-04-20' }, '2025-04-10', '2025-04-21'],
        [{ period: 'monthly', startDate: '2025-01-01', endDate: '2025-02-14' }, '2025-02-01', '2025-02-15'],
        [{ period: 'custom', startDate: '2025-03-20', endDate: '2025-03-20' }, '2025-03-20', '2025-03-21'],
        [{ period: 'weekly', startDate: '2025-06-04' }, '2025-06-04', '2025-06-09'],
      ];
      for (const [body, start, end] of cases) {
        const b = await budget(token, { amount: 10, ...body });
        expect([b.periodStart, b.periodEnd], JSON.stringify(body)).toEqual([`${start}T00:00:00.000Z`, `${end}T00:00:00.000Z`]);
      }
    });

    it("answers 404 for another user's budget, which stays unchanged", async () => {
      const alice = await api.register();
      const bob = await api.register();
      const mine = await budget(alice.token, { amount: 100 });
      expect((await api.get(`/api/budgets/${mine._id}`, bob.token)).status).toBe(404);
      const put = await api.put(`/api/budgets/${mine._id}`, { amount: 1 }, bob.token);
      expect(put.status).toBe(404);
      expect(put.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
      expect((await api.del(`/api/budgets/${mine._id}`, bob.token)).status).toBe(404);
      expect((await api.get('/api/budgets', bob.token)).body).toEqual([]);
      expect((await api.get(`/api/budgets/${mine._id}`, alice.token)).body).toEqual(mine);
    });
  });

  describe('spending', () => {
    it('counts the category’s expenses of the current period, each converted at its own day’s rate', async () => {
      const { token } = await api.register();
      const rows = [
        { amount: 42.5, currency: 'USD', date: '2025-04-02', category: 'food' },
        { amount: 30, currency: 'EUR', date: '2025-04-07T18:00:00Z', category: 'food' },
        { amount: 4200, currency: 'JPY', date: '2025-04-11', category: 'food' },
        { amount: 19.99, currency: 'GBP', date: '2025-04-14', category: 'food' },
      ];
      const ignored = [
        { amount: 1000, currency: 'USD', date: '2025-03-31T23:59:59Z', category: 'food' }, // March
        { amount: 1000, currency: 'USD', date: '2025-05-01', category: 'food' }, // May
        { amount: 1000, currency: 'USD', date: '2025-04-05', category: 'transport' },
        { amount: 1000, currency: 'USD', date: '2025-04-05', category: 'food', type: 'income' },
      ];
      for (const r of [...rows, ...ignored]) await expense(token, r);
      const other = await api.register();
      await expense(other.token, rows[0]!);

      const eur = await budget(token, { amount: 400, currency: 'EUR', category: 'food' });
      const usd = await budget(token, { amount: 150, category: 'food', alertThreshold: 50 });
      const all = await budget(token, { amount: 5000, currency: 'jpy' });

      const eurWant = converted(rows, 'EUR').sum;
      near(eur.spent, eurWant);
      near(eur.remaining, 400 - eurWant);
      expect(eur.percentageUsed).toBeCloseTo((eurWant / 400) * 100, 1);
      expect(eur.status).toBe('on_track');

      const usdWant = converted(rows, 'USD').sum;
      near(usd.spent, usdWant);
      expect(usd.status).toBe('warning'); // about 130 of 150, past its 50% threshold

      // Every category, in JPY (no decimals): the transport expense too, never the income.
      const jpyWant = converted([...rows, ignored[2]!], 'JPY').sum;
      near(all.spent, jpyWant, 1);
      expect(all.currency).toBe('JPY');
      expect(all.status).toBe('exceeded');
      expect(all.remaining).toBe(5000 - all.spent);

      const list = (await api.get('/api/budgets', token)).body;
      expect(list.map((b: { _id: string }) => b._id)).toEqual([all._id, usd._id, eur._id]);
      expect(list[2]).toEqual(eur);
    });

    it('counts an expense before the first rate held as pending on a foreign-currency budget, never guessed', async () => {
      const { token } = await api.register();
      await expense(token, { amount: 80, currency: 'USD', date: '2025-01-20' });
      await expense(token, { amount: 20, currency: 'USD', date: '2025-03-03' });
      const eur = await budget(token, { amount: 1000, currency: 'EUR', period: 'yearly', category: 'food' });
      expect(eur.pendingCount).toBe(1);
      near(eur.spent, 20 * factor('USD', 'EUR', '2025-03-03')!);
      // In its own currency nothing needs a rate.
      const usd = await budget(token, { amount: 1000, period: 'yearly' });
      expect([usd.pendingCount, usd.spent]).toEqual([0, 100]);
    });

    it("puts the month boundary where the user's time zone does", async () => {
      const { token } = await api.register();
      await expense(token, { amount: 70, currency: 'USD', date: '2025-03-31T23:30:00Z' });
      const b = await budget(token, { amount: 100, startDate: '2025-01-01' });
      // UTC: the expense is in March, not in April.
      expect([b.spent, b.periodStart]).toEqual([0, '2025-04-01T00:00:00.000Z']);

      expect((await api.patch('/api/auth/me', { settings: { timeZone: 'Europe/Berlin' } }, token)).status).toBe(200);
      const berlin = (await api.get(`/api/budgets/${b._id}`, token)).body;
      // Berlin (UTC+2 in summer time): it is 01:30 on April 1st, and April began at 22:00 UTC.
      expect(berlin).toMatchObject({ spent: 70, periodStart: '2025-03-31T22:00:00.000Z', periodEnd: '2025-04-30T22:00:00.000Z' });

      await api.patch('/api/auth/me', { settings: { timeZone: 'UTC' } }, token);
      now = new Date('2025-03-20T12:00:00Z');
      try {
        expect((await api.get(`/api/budgets/${b._id}`, token)).body).toMatchObject({ spent: 70, periodStart: '2025-03-01T00:00:00.000Z' });
      } finally {
        now = APRIL_15;
      }
    });
  });

  describe('summary and alerts', () => {
    it('totals every budget in the display currency at today’s rate, with counts by status', async () => {
      const { token } = await api.register();
      await expense(token, { amount: 90, currency: 'USD', date: '2025-04-03' });
      await expense(token, { amount: 50, currency: 'EUR', date: '2025-04-04', category: 'travel' });
      const food = await budget(token, { amount: 100, category: 'food' }); // 90%: warning
      const travel = await budget(token, { amount: 40, currency: 'EUR', category: 'travel' }); // exceeded
      const fun = await budget(token, { amount: 300, currency: 'GBP', category: 'entertainment' }); // on track
      expect([food.status, travel.status, fun.status]).toEqual(['warning', 'exceeded', 'on_track']);

      const res = await api.get('/api/budgets/summary', token);
      expect(res.status).toBe(200);
      const eurUsd = factor('EUR', 'USD', '2025-04-15')!;
      const gbpUsd = factor('GBP', 'USD', '2025-04-15')!;
      expect(res.body).toMatchObject({
        currency: 'USD',
        budgetCount: 3,
        byStatus: { on_track: 1, warning: 1, exceeded: 1 },
        pendingCount: 0,
        unconvertedBudgets: 0,
      });
      near(res.body.totalBudgeted, 100 + 40 * eurUsd + 300 * gbpUsd, 0.02);
      near(res.body.totalSpent, 90 + travel.spent * eurUsd, 0.02);
      near(res.body.remaining, res.body.totalBudgeted - res.body.totalSpent);

      const alerts = await api.get('/api/budgets/alerts', token);
      expect(alerts.status).toBe(200);
      expect(alerts.body.map((b: { _id: string }) => b._id)).toEqual([travel._id, food._id]);
    });

    it('is all zeros without budgets', async () => {
      const { token } = await api.register();
      expect((await api.get('/api/budgets/summary', token)).body).toEqual({
        currency: 'USD',
        totalBudgeted: 0,
        totalSpent: 0,
        remaining: 0,
        budgetCount: 0,
        byStatus: { on_track: 0, warning: 0, exceeded: 0 },
        pendingCount: 0,
        unconvertedBudgets: 0,
      });
      expect((await api.get('/api/budgets/alerts', token)).body).toEqual([]);
    });
  });

  describe('threshold crossings', () => {
    const recheck = () => app.platform.jobs.run('budgets.recheck', 'manual');

    it('announces each crossing once per period, whatever write causes it', async () => {
      const { token, id: userId } = await api.register();
      drain();
      // Other tests' users share this app; the job looks at their budgets too.
      const mine = () => drain().filter((e) => e.userId === userId);
      const food = await budget(token, { name: 'Food', amount: 100, category: 'food' });
      const wide = await budget(token, { name: 'Wide', amount: 200, category: 'food' });
      expect(mine()).toEqual([]);

      await expense(token, { amount: 50, date: '2025-04-02' });
      expect(mine()).toEqual([]);

      // 85%: past the 80% threshold.
      await expense(token, { amount: 35, date: '2025-04-03' });
      expect(mine()).toEqual([
        {
          userId,
          budgetId: food._id,
          name: 'Food',
          level: 'warning',
          threshold: 80,
          percentageUsed: 85,
          spent: 85,
          amount: 100,
          currency: 'USD',
          periodStart: '2025-04-01T00:00:00.000Z',
          periodEnd: '2025-05-01T00:00:00.000Z',
        },
      ]);
      await recheck();
      await recheck();
      expect(mine()).toEqual([]);

      // 105%: exceeded, once.
      const over = await expense(token, { amount: 20, date: '2025-04-04' });
      expect(mine().map((e) => [e.budgetId, e.level, e.spent])).toEqual([[food._id, 'exceeded', 105]]);

      // A dip below both levels and a rise again in the same period: nothing new.
      expect((await api.del(`/api/expenses/${over}`, token)).status).toBe(200);
      const moved = await expense(token, { amount: 10, date: '2025-04-05' });
      expect((await api.put(`/api/expenses/${moved}`, { amount: 30 }, token)).status).toBe(200);
      expect((await api.get(`/api/budgets/${food._id}`, token)).body.status).toBe('exceeded');
      await recheck();
      expect(mine()).toEqual([]);

      // Lowering an amount: 115 of 140 is 82%.
      const lowered = await api.put(`/api/budgets/${wide._id}`, { amount: 140 }, token);
      expect(lowered.body.status).toBe('warning');
      expect(mine().map((e) => [e.budgetId, e.level])).toEqual([[wide._id, 'warning']]);

      // Created over what is spent: one event, exceeded (its warning is recorded, not announced).
      const small = await budget(token, { name: 'Small', amount: 50, category: 'food' });
      expect(mine().map((e) => [e.budgetId, e.level])).toEqual([[small._id, 'exceeded']]);
      // Raising the amount back and lowering it again, same period: nothing.
      await api.put(`/api/budgets/${small._id}`, { amount: 1000 }, token);
      await api.put(`/api/budgets/${small._id}`, { amount: 50 }, token);
      expect(mine()).toEqual([]);

      // Spending dated in May counts for nothing until May comes; the job then announces it once.
      await expense(token, { amount: 90, date: '2025-05-03' });
      expect(mine()).toEqual([]);
      now = new Date('2025-05-08T09:00:00Z');
      try {
        await recheck();
        const may = mine();
        expect(may.map((e) => [e.budgetId, e.level, e.periodStart]).sort()).toEqual(
          [
            [food._id, 'warning', '2025-05-01T00:00:00.000Z'],
            [small._id, 'exceeded', '2025-05-01T00:00:00.000Z'],
          ].sort(),
        );
        await recheck();
        expect(mine()).toEqual([]);
      } finally {
        now = APRIL_15;
      }
    });

    it('announces a crossing once when writers race', async () => {
      const { token } = await api.register();
      const b = await budget(token, { amount: 100, category: 'food' });
      await expense(token, { amount: 70, date: '2025-04-02' });
      drain();
      await Promise.all([expense(token, { amount: 40, date: '2025-04-03' }), recheck(), recheck(), recheck(), api.get('/api/budgets', token)]);
      await Promise.all([recheck(), recheck()]);
      expect(drain().filter((e) => e.budgetId === b._id).map((e) => e.level)).toEqual(['exceeded']);
    });

    it('checks every write of a burst against the budgets as committed since the last burst', async () => {
      const { token } = await api.register();
      // Writes sent together are committed together, and their checks share one read of the budgets.
      const burst = (n: number, day: string) => Promise.all(Array.from({ length: n }, () => expense(token, { amount: 5, date: day })));
      await burst(10, '2025-04-02');
      const b = await budget(token, { amount: 100, category: 'food', alertThreshold: 80 });
      await burst(6, '2025-04-03');
      expect(drain().filter((e) => e.budgetId === b._id).map((e) => [e.level, e.spent])).toEqual([['warning', 80]]);
      expect((await api.del(`/api/budgets/${b._id}`, token)).status).toBe(200);
      await burst(10, '2025-04-04');
      expect(drain().filter((e) => e.budgetId === b._id)).toEqual([]);
    });

    it('announces anew after a budget is redefined (another category) or its threshold moves, within the period', async () => {
      const { token } = await api.register();
      const b = await budget(token, { amount: 100, category: 'food', alertThreshold: 80 });
      await expense(token, { amount: 110, date: '2025-04-02' });
      expect(drain().filter((e) => e.budgetId === b._id).map((e) => e.level)).toEqual(['exceeded']);
      // Another category: what food spent no longer counts, and transport's crossing is its own.
      expect((await api.put(`/api/budgets/${b._id}`, { category: 'transport' }, token)).body.status).toBe('on_track');
      await expense(token, { amount: 85, date: '2025-04-03', category: 'transport' });
      expect(drain().filter((e) => e.budgetId === b._id).map((e) => e.level)).toEqual(['warning']);
      // A lower threshold already passed: announced at once; the amount alone changes nothing said.
      await api.put(`/api/budgets/${b._id}`, { alertThreshold: 50 }, token);
      expect(drain().filter((e) => e.budgetId === b._id).map((e) => [e.level, e.threshold])).toEqual([['warning', 50]]);
      // A lower amount crosses 100% for transport: once; up and down again says nothing new.
      await api.put(`/api/budgets/${b._id}`, { amount: 80 }, token);
      expect(drain().filter((e) => e.budgetId === b._id).map((e) => e.level)).toEqual(['exceeded']);
      await api.put(`/api/budgets/${b._id}`, { amount: 1000 }, token);
      await api.put(`/api/budgets/${b._id}`, { amount: 80 }, token);
      expect(drain().filter((e) => e.budgetId === b._id)).toEqual([]);
    });

    it('announces newly loaded rates turning pending expenses into spending, from the job', async () => {
      // A fresh app without rates: the EUR expense stays pending until they load.
      const bare = await createTestApp({ rates, clock: { now: () => APRIL_15 } });
      const seen: Crossing[] = [];
      bare.platform.events.on('budget.threshold_crossed', (e) => void seen.push(e));
      const { token } = await bare.api.register();
      const b = (await bare.api.post('/api/budgets', { name: 'Trip', amount: 100, period: 'monthly' }, token)).body;
      await bare.api.post('/api/expenses', { description: 'Hotel', amount: 95, currency: 'EUR', category: 'travel', date: '2025-04-10' }, token);
      expect((await bare.api.get(`/api/budgets/${b._id}`, token)).body).toMatchObject({ spent: 0, pendingCount: 1, status: 'on_track' });
      await bare.platform.jobs.run('budgets.recheck', 'manual');
      expect(seen).toEqual([]);

      await bare.platform.jobs.run('currency.refresh', 'manual');
      await bare.platform.jobs.run('budgets.recheck', 'manual');
      expect(seen.map((e) => e.level)).toEqual(['exceeded']);
      near(seen[0]!.spent, 95 * factor('EUR', 'USD', '2025-04-10')!);
      await bare.platform.jobs.run('budgets.recheck', 'manual');
      expect(seen).toHaveLength(1);
    });
  });
});
