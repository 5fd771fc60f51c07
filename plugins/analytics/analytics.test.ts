import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { factor } from '../../tests/support/ecb-rates.ts';
import { startRatesServer } from '../../tests/support/rates-server.ts';

/**
 * Analytics checked against the test's own sums: every entry converted at its UTC day's
 * fixture rate (ecb-rates.ts), placed in its local day with Intl, summed in JS.
 */
const NOW = new Date('2025-04-20T12:00:00.000Z'); // a Sunday, inside the fixture's rates (Feb 6 – May 9 2025)

interface Row {
  description: string;
  amount: number;
  currency: 'USD' | 'EUR' | 'JPY';
  category: string;
  type: 'expense' | 'income';
  date: string;
  merchant: string | null;
}

function generate(count: number): Row[] {
  let seed = 11;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const currency = pick(['USD', 'EUR', 'JPY'] as const);
    // Feb 6 to Apr 20 2025, at any minute of the day (so that local days differ from UTC ones).
    const at = Date.UTC(2025, 1, 6) + Math.floor(random() * 74 * 24 * 60) * 60_000;
    return {
      description: `item ${i}`,
      amount: currency === 'JPY' ? 100 + Math.floor(random() * 20_000) : (1 + Math.floor(random() * 30_000)) / 100,
      currency,
      category: pick(['food', 'transport', 'shopping', 'utilities'] as const),
      type: random() < 0.25 ? 'income' : 'expense',
      date: new Date(at).toISOString(),
      merchant: pick(['Aldi', 'Lidl', 'Rewe', 'Edeka', 'Penny', 'Netto', 'Kaufland', null]),
    };
  });
}

const fixed: Row[] = [
  // 23:30 UTC on March 31 is 01:30 on April 1 in Berlin: March for one user, April for the other.
  { description: 'night train', amount: 99.5, currency: 'EUR', category: 'travel', type: 'expense', date: '2025-03-31T23:30:00.000Z', merchant: 'DB' },
  { description: 'night taxi', amount: 20, currency: 'USD', category: 'travel', type: 'expense', date: '2025-03-31T23:30:00.000Z', merchant: null },
  // Before the first rate held: pending in any other currency, whatever the display one.
  { description: 'old gift', amount: 50, currency: 'EUR', category: 'shopping', type: 'expense', date: '2025-01-20T10:00:00.000Z', merchant: null },
  { description: 'old bonus', amount: 5000, currency: 'JPY', category: 'salary', type: 'income', date: '2025-01-20T10:00:00.000Z', merchant: null },
  { description: 'summer pay', amount: 1200, currency: 'USD', category: 'salary', type: 'income', date: '2024-08-15T09:00:00.000Z', merchant: null },
  { description: 'summer trip', amount: 300, currency: 'USD', category: 'travel', type: 'expense', date: '2024-08-20T09:00:00.000Z', merchant: null },
];

const formats = new Map<string, Intl.DateTimeFormat>();
const localDay = (iso: string, timeZone: string) => {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return format.format(new Date(iso));
};
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Converted sum of `rows` in `to`, and how many could not be converted. */
function sum(rows: readonly Row[], to: string) {
  let amount = 0;
  let pending = 0;
  for (const r of rows) {
    const f = factor(r.currency, to, r.date.slice(0, 10));
    if (f === null) pending++;
    else amount += r.amount * f;
  }
  return { amount, pending };
}

const spent = (rows: readonly Row[], to: string) => sum(rows.filter((r) => r.type === 'expense'), to).amount;
const earned = (rows: readonly Row[], to: string) => sum(rows.filter((r) => r.type === 'income'), to).amount;

/** Every number of an answer, at any depth: none may be NaN or infinite (JSON would turn them into null). */
const numbersOf = (value: unknown): number[] =>
  typeof value === 'number' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(numbersOf) : [];

describe('analytics', async () => {
  const rates = await startRatesServer();
  const { api, platform } = await createTestApp({ rates, clock: { now: () => NOW } });
  await platform.jobs.run('currency.refresh', 'manual');
  const rows = [...generate(160), ...fixed];
  const alice = await api.register();
  for (const row of rows) expect((await api.post('/api/expenses', row, alice.token)).status).toBe(201);
  // Bob's entries share the days and must never count for Alice.
  const bob = await api.register();
  for (const row of rows.slice(0, 15)) await api.post('/api/expenses', row, bob.token);

  const settle = async (currency: string, timeZone: string) =>
    expect((await api.patch('/api/auth/me', { settings: { currency, timeZone } }, alice.token)).status).toBe(200);

  const views = [
    { currency: 'EUR', timeZone: 'UTC' },
    { currency: 'USD', timeZone: 'Europe/Berlin' },
  ];

  describe.each(views)('dashboard in $currency, $timeZone', ({ currency, timeZone }) => {
    const inMonth = (month: string) => rows.filter((r) => localDay(r.date, timeZone).startsWith(month));

    it('totals the balance, this month, the savings rate and the pending entries as the test sums them', async () => {
      await settle(currency, timeZone);
      const { status, body } = await api.get('/api/analytics/dashboard', alice.token);
      expect(status).toBe(200);
      expect(Object.keys(body).sort()).toEqual(
        ['categoryBreakdown', 'monthlyExpenses', 'monthlyIncome', 'monthlyTrend', 'pendingConversions', 'savingsRate', 'totalBalance'].sort(),
      );
      expect(body.totalBalance).toBeCloseTo(earned(rows, currency) - spent(rows, currency), 1);
      expect(body.pendingConversions).toBe(sum(rows, currency).pending);
      expect(body.pendingConversions).toBeGreaterThanOrEqual(2);
      const april = inMonth('2025-04');
      expect(body.monthlyIncome).toBeCloseTo(earned(april, currency), 1);
      expect(body.monthlyExpenses).toBeCloseTo(spent(april, currency), 1);
      expect(body.savingsRate).toBeCloseTo(((body.monthlyIncome - body.monthlyExpenses) / body.monthlyIncome) * 100, 1);
      // Amounts are rounded to the currency's cents.
      for (const n of [body.totalBalance, body.monthlyIncome, body.monthlyExpenses]) expect(Math.round(n * 100) / 100).toBe(n);
    });

    it('breaks this month down by category, largest first, the percentages adding up to 100', async () => {
      await settle(currency, timeZone);
      const { body } = await api.get('/api/analytics/dashboard', alice.token);
      const april = inMonth('2025-04').filter((r) => r.type === 'expense');
      const categories = [...new Set(april.map((r) => r.category))];
      expect(body.categoryBreakdown.map((c: { category: string }) => c.category).sort()).toEqual(categories.sort());
      const total = spent(april, currency);
      for (const c of body.categoryBreakdown) {
        const want = spent(april.filter((r) => r.category === c.category), currency);
        expect(c.amount).toBeCloseTo(want, 1);
        expect(Math.abs(c.percentage - (want / total) * 100)).toBeLessThan(0.02);
      }
      const amounts = body.categoryBreakdown.map((c: { amount: number }) => c.amount);
      expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
      const percentages = body.categoryBreakdown.reduce((s: number, c: { percentage: number }) => s + c.percentage, 0);
      expect(percentages).toBeCloseTo(100, 6);
    });

    it('trends the last 12 months oldest first, empty months as 0', async () => {
      await settle(currency, timeZone);
      const { body } = await api.get('/api/analytics/dashboard', alice.token);
      const months = ['2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04'];
      expect(body.monthlyTrend.map((m: { month: string }) => m.month)).toEqual(months);
      for (const m of body.monthlyTrend) {
        expect(m.income).toBeCloseTo(earned(inMonth(m.month), currency), 1);
        expect(m.expenses).toBeCloseTo(spent(inMonth(m.month), currency), 1);
      }
      expect(body.monthlyTrend[0]).toEqual({ month: '2024-05', income: 0, expenses: 0 });
      // August 2024 is in USD: shown as entered for USD, pending (not guessed) for EUR.
      const august = body.monthlyTrend.find((m: { month: string }) => m.month === '2024-08');
      expect(august).toEqual(currency === 'USD' ? { month: '2024-08', income: 1200, expenses: 300 } : { month: '2024-08', income: 0, expenses: 0 });
    });
  });

  it('puts 23:30 UTC on March 31 in April for Berlin and in March for UTC', async () => {
    await settle('EUR', 'Europe/Berlin');
    const berlin = (await api.get('/api/analytics/dashboard', alice.token)).body;
    await settle('EUR', 'UTC');
    const utc = (await api.get('/api/analytics/dashboard', alice.token)).body;
    const travel = (body: { categoryBreakdown: { category: string; amount: number }[] }) => body.categoryBreakdown.find((c) => c.category === 'travel');
    const nightTrip = 99.5 + 20 * factor('USD', 'EUR', '2025-03-31')!;
    expect(travel(berlin)?.amount).toBeCloseTo(nightTrip, 1);
    expect(travel(utc)).toBeUndefined();
    const march = (body: { monthlyTrend: { month: string; expenses: number }[] }) => body.monthlyTrend.find((m) => m.month === '2025-03')!.expenses;
    expect(march(utc) - march(berlin)).toBeCloseTo(nightTrip, 1);
  });

  describe.each(views)('spending in $currency, $timeZone', ({ currency, timeZone }) => {
    /** The test's own report over the local days [first, last]. */
    const expected = (first: string, last: string) => {
      const within = (from: string, to: string) => rows.filter((r) => localDay(r.date, timeZone) >= from && localDay(r.date, timeZone) <= to);
      const period = within(first, last);
      return { within, period, spent: spent(period, currency), income: earned(period, currency), pending: sum(period, currency).pending };
    };

    it('reports a month: day buckets, categories, top merchants, average and change against the month before', async () => {
      await settle(currency, timeZone);
      const { status, body } = await api.get('/api/analytics/spending/monthly?date=2025-03-15', alice.token);
      expect(status).toBe(200);
      const want = expected('2025-03-01', '2025-03-31');
      expect(body).toMatchObject({ period: 'monthly', currency, timeZone, firstDay: '2025-03-01', lastDay: '2025-03-31', bucketUnit: 'day', daysCounted: 31 });
      expect(body.totalSpent).toBeCloseTo(want.spent, 1);
      expect(body.totalIncome).toBeCloseTo(want.income, 1);
      expect(body.averagePerDay).toBeCloseTo(want.spent / 31, 1);
      expect(body.buckets.map((b: { bucket: string }) => b.bucket)).toEqual(Array.from({ length: 31 }, (_, i) => addDays('2025-03-01', i)));
      for (const b of body.buckets) {
        expect(b.spent).toBeCloseTo(spent(want.within(b.bucket, b.bucket), currency), 1);
        expect(b.income).toBeCloseTo(earned(want.within(b.bucket, b.bucket), currency), 1);
      }
      expect(body.byCategory.some((c: { category: string }) => c.category === 'travel')).toBe(timeZone === 'UTC');
      for (const c of body.byCategory) expect(c.amount).toBeCloseTo(spent(want.period.filter((r) => r.category === c.category), currency), 1);
      expect(body.byCategory.reduce((s: number, c: { percentage: number }) => s + c.percentage, 0)).toBeCloseTo(100, 6);

      const merchants = [...new Set(want.period.map((r) => r.merchant))]
        .filter((m) => m !== null)
        .map((m) => ({ merchant: m, amount: spent(want.period.filter((r) => r.merchant === m), currency) }))
        .filter((m) => m.amount > 0)
        .sort((a, b) => b.amount - a.amount)
        .slice(0, 5);
      expect(body.topMerchants.map((m: { merchant: string }) => m.merchant)).toEqual(merchants.map((m) => m.merchant));
      body.topMerchants.forEach((m: { amount: number }, i: number) => expect(m.amount).toBeCloseTo(merchants[i]!.amount, 1));

      const february = spent(expected('2025-02-01', '2025-02-28').period, currency);
      expect(body.previous).toMatchObject({ firstDay: '2025-02-01', lastDay: '2025-02-28' });
      expect(body.previous.totalSpent).toBeCloseTo(february, 1);
      expect(body.change.amount).toBeCloseTo(want.spent - february, 1);
      expect(body.change.percent).toBeCloseTo(((body.totalSpent - body.previous.totalSpent) / body.previous.totalSpent) * 100, 1);
    });

    it('reports the week of a day, Monday first, across the month boundary', async () => {
      await settle(currency, timeZone);
      const { body } = await api.get('/api/analytics/spending/weekly?date=2025-04-02', alice.token);
      const want = expected('2025-03-31', '2025-04-06');
      expect(body).toMatchObject({ firstDay: '2025-03-31', lastDay: '2025-04-06', daysCounted: 7, bucketUnit: 'day' });
      expect(body.buckets).toHaveLength(7);
      expect(body.totalSpent).toBeCloseTo(want.spent, 1);
      // The night train rides on March 31 in UTC and on April 1 in Berlin.
      const nightTrip = 99.5 * factor('EUR', currency, '2025-03-31')! + 20 * factor('USD', currency, '2025-03-31')!;
      const day = timeZone === 'UTC' ? '2025-03-31' : '2025-04-01';
      const bucket = body.buckets.find((b: { bucket: string }) => b.bucket === day);
      expect(bucket.spent).toBeCloseTo(spent(want.within(day, day), currency), 1);
      expect(bucket.spent).toBeGreaterThanOrEqual(nightTrip - 0.01);
      expect(body.previous).toMatchObject({ firstDay: '2025-03-24', lastDay: '2025-03-30' });
      expect(body.previous.totalSpent).toBeCloseTo(spent(expected('2025-03-24', '2025-03-30').period, currency), 1);
    });

    it('reports this year by month, averaged over the days so far, its pending entries counted', async () => {
      await settle(currency, timeZone);
      const { body } = await api.get('/api/analytics/spending/yearly', alice.token);
      const want = expected('2025-01-01', '2025-12-31');
      expect(body).toMatchObject({ firstDay: '2025-01-01', lastDay: '2025-12-31', bucketUnit: 'month', daysCounted: 110 });
      expect(body.buckets.map((b: { bucket: string }) => b.bucket)).toEqual(Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`));
      expect(body.buckets.slice(4).every((b: { spent: number; income: number }) => b.spent === 0 && b.income === 0)).toBe(true);
      expect(body.totalSpent).toBeCloseTo(want.spent, 1);
      expect(body.averagePerDay).toBeCloseTo(want.spent / 110, 1);
      expect(body.pendingConversions).toBe(want.pending);
      expect(body.pendingConversions).toBeGreaterThanOrEqual(1);
      expect(body.previous.totalSpent).toBeCloseTo(spent(expected('2024-01-01', '2024-12-31').period, currency), 1);
    });

    it('reports this month so far by default', async () => {
      await settle(currency, timeZone);
      const { body } = await api.get('/api/analytics/spending/monthly', alice.token);
      expect(body).toMatchObject({ firstDay: '2025-04-01', lastDay: '2025-04-30', daysCounted: 20 });
      expect(body.buckets).toHaveLength(30);
      expect(body.totalSpent).toBeCloseTo(expected('2025-04-01', '2025-04-30').spent, 1);
    });
  });

  it('answers zeros, never NaN, for a user without entries', async () => {
    const fresh = await api.register();
    const dashboard = (await api.get('/api/analytics/dashboard', fresh.token)).body;
    expect(dashboard).toMatchObject({ totalBalance: 0, monthlyIncome: 0, monthlyExpenses: 0, savingsRate: 0, categoryBreakdown: [], pendingConversions: 0 });
    expect(dashboard.monthlyTrend).toHaveLength(12);
    expect(dashboard.monthlyTrend.every((m: { income: number; expenses: number }) => m.income === 0 && m.expenses === 0)).toBe(true);
    expect(numbersOf(dashboard).every(Number.isFinite)).toBe(true);

    const report = (await api.get('/api/analytics/spending/weekly', fresh.token)).body;
    expect(report).toMatchObject({
      totalSpent: 0,
      totalIncome: 0,
      averagePerDay: 0,
      byCategory: [],
      topMerchants: [],
      previous: { totalSpent: 0 },
      change: { amount: 0, percent: null },
      pendingConversions: 0,
    });
    expect(numbersOf(report).every(Number.isFinite)).toBe(true);
  });

  it('gives a savings rate of 0 without income, negative when spending exceeds income', async () => {
    const user = await api.register();
    await api.post('/api/expenses', { description: 'rent', amount: 900, category: 'utilities', date: '2025-04-02' }, user.token);
    expect((await api.get('/api/analytics/dashboard', user.token)).body).toMatchObject({ monthlyExpenses: 900, savingsRate: 0, totalBalance: -900 });
    await api.post('/api/expenses', { description: 'pay', amount: 600, category: 'salary', type: 'income', date: '2025-04-03' }, user.token);
    expect((await api.get('/api/analytics/dashboard', user.token)).body).toMatchObject({ monthlyIncome: 600, savingsRate: -50, totalBalance: -300 });
  });

  it.each(['weekly', 'monthly', 'yearly'])('reports a %s period at either end of the dates accepted', async (period) => {
    await settle('EUR', 'Pacific/Kiritimati');
    for (const date of ['1900-01-01', '2100-12-31']) {
      const { status, body } = await api.get(`/api/analytics/spending/${period}?date=${date}`, alice.token);
      expect(status).toBe(200);
      expect(body.firstDay <= date && date <= body.lastDay).toBe(true);
      expect(body.totalSpent).toBe(0);
    }
  });

  it.each([
    ['an unknown period', '/api/analytics/spending/daily', 'param.period'],
    ['a date that does not exist', '/api/analytics/spending/monthly?date=2025-02-30', 'query.date'],
    ['a date without dashes', '/api/analytics/spending/monthly?date=20250215', 'query.date'],
    ['a date-time instead of a date', '/api/analytics/spending/weekly?date=2025-02-15T10:00:00Z', 'query.date'],
    ['a date out of range', '/api/analytics/spending/yearly?date=1800-01-01', 'query.date'],
  ])('refuses %s: 400 with the error shape', async (_, path, field) => {
    const { status, body } = await api.get(path, alice.token);
    expect(status).toBe(400);
    expect(body).toMatchObject({ success: false, code: 'VALIDATION_FAILED', error: expect.any(String) });
    expect(body.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it.each(['/api/analytics/dashboard', '/api/analytics/spending/monthly'])('answers 401 to %s without a token or with a bad one', async (path) => {
    expect((await api.get(path)).body).toMatchObject({ success: false, code: 'NO_TOKEN' });
    expect((await api.get(path)).status).toBe(401);
    const bad = await api.get(path, 'not-a-token');
    expect([bad.status, bad.body.code]).toEqual([401, 'INVALID_TOKEN']);
  });
});
