import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { factor } from '../../tests/support/ecb-rates.ts';
import { startRatesServer } from '../../tests/support/rates-server.ts';

/** Generated expenses over the fixture's rate days, with a few before them (no rate held). */
function generate(count: number) {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const currency = pick(['USD', 'EUR', 'JPY'] as const);
    const day = i % 25 === 0 ? '2025-01-20' : new Date(Date.UTC(2025, 1, 6) + Math.floor(random() * 92) * 86_400_000).toISOString().slice(0, 10);
    const hour = String(Math.floor(random() * 24)).padStart(2, '0');
    return {
      description: `item ${i}`,
      amount: currency === 'JPY' ? 100 + Math.floor(random() * 20_000) : (1 + Math.floor(random() * 50_000)) / 100,
      currency,
      category: pick(['food', 'transport', 'shopping'] as const),
      type: random() < 0.2 ? ('income' as const) : ('expense' as const),
      date: `${day}T${hour}:30:00.000Z`,
      merchant: pick(['Aldi', 'Lidl', 'Rewe', null]),
    };
  });
}

describe('spending service', async () => {
  const rates = await startRatesServer();
  const { api, platform } = await createTestApp({ rates });
  await platform.jobs.run('currency.refresh', 'manual');
  const alice = await api.register();
  const bob = await api.register();
  const rows = generate(240);
  const ids: string[] = [];
  for (const row of rows) {
    const res = await api.post('/api/expenses', row, alice.token);
    expect(res.status).toBe(201);
    ids.push(res.body._id);
  }
  // Bob's expenses share the days and must never count for Alice.
  for (const row of rows.slice(0, 20)) await api.post('/api/expenses', row, bob.token);

  /** The test's own totals: each expense converted at its day's fixture rate, summed in JS. */
  const expected = (rows: ReturnType<typeof generate>, to: string, digits = 2) => {
    let amount = 0;
    let count = 0;
    let pending = 0;
    for (const r of rows) {
      const f = factor(r.currency, to, r.date.slice(0, 10));
      if (f === null) pending++;
      else {
        amount += r.amount * f;
        count++;
      }
    }
    return { amount: Number(amount.toFixed(digits)), count, pending };
  };
  const within = (from: string, to: string) => rows.filter((r) => r.date >= from && r.date < to);

  it('totals a window per type, converted at each day’s rate, pending apart', async () => {
    const [from, to] = ['2025-01-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'];
    const totals = await platform.services.spending.totals({ userId: alice.id, currency: 'EUR', windows: [{ key: 'all', from, to }] });
    for (const type of ['expense', 'income'] as const) {
      const want = expected(within(from, to).filter((r) => r.type === type), 'EUR');
      const got = totals.find((t) => t.type === type)!;
      expect(got.amount).toBeCloseTo(want.amount, 1);
      expect([got.count, got.pendingCount]).toEqual([want.count, want.pending]);
    }
    expect(totals.find((t) => t.type === 'expense')!.pendingCount).toBeGreaterThan(0);
  });

  it('keeps windows apart, with bounds inclusive at the start and exclusive at the end', async () => {
    const windows = [
      { key: 'march', from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' },
      { key: 'march-food', from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z', category: 'food' },
      { key: 'april', from: '2025-04-01T00:00:00.000Z', to: '2025-05-01T00:00:00.000Z' },
    ];
    const totals = await platform.services.spending.totals({ userId: alice.id, currency: 'JPY', windows, type: 'expense' });
    expect(totals.every((t) => t.type === 'expense')).toBe(true);
    for (const w of windows) {
      const want = expected(within(w.from, w.to).filter((r) => r.type === 'expense' && (!w.category || r.category === w.category)), 'JPY', 0);
      const got = totals.find((t) => t.key === w.key)!;
      expect(got.amount).toBeCloseTo(want.amount, -1);
      expect(got.count).toBe(want.count);
    }
  });

  it('groups by category or merchant, the largest first when asked for the top ones', async () => {
    const window = { key: 'q', from: '2025-02-01T00:00:00.000Z', to: '2025-06-01T00:00:00.000Z' };
    const spent = within(window.from, window.to).filter((r) => r.type === 'expense');
    const byCategory = await platform.services.spending.totals({ userId: alice.id, currency: 'USD', windows: [window], type: 'expense', groupBy: 'category' });
    expect(byCategory.map((t) => t.group).sort()).toEqual(['food', 'shopping', 'transport']);
    for (const t of byCategory) expect(t.amount).toBeCloseTo(expected(spent.filter((r) => r.category === t.group), 'USD').amount, 1);

    const top = await platform.services.spending.totals({ userId: alice.id, currency: 'USD', windows: [window], type: 'expense', groupBy: 'merchant', top: 2 });
    const merchants = [...new Set(spent.map((r) => r.merchant))]
      .map((m) => ({ m, amount: expected(spent.filter((r) => r.merchant === m), 'USD').amount }))
      .sort((a, b) => b.amount - a.amount);
    expect(top.map((t) => t.group)).toEqual(merchants.slice(0, 2).map((x) => x.m));
  });

  it('answers nothing for a window without expenses, and nothing of another user’s', async () => {
    const empty = { key: 'x', from: '2030-01-01T00:00:00.000Z', to: '2030-02-01T00:00:00.000Z' };
    expect(await platform.services.spending.totals({ userId: alice.id, currency: 'EUR', windows: [empty] })).toEqual([]);
    const fresh = await api.register();
    expect(await platform.services.spending.totals({ userId: fresh.id, currency: 'EUR', windows: [{ key: 'all', from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' }] })).toEqual([]);
  });

  it('cuts a window off UTC midnight exactly, on the instant', async () => {
    // March in Berlin: 2025-02-28T23:00Z to 2025-03-31T22:00Z (summer time from the 30th).
    const w = { key: 'berlin-march', from: '2025-02-28T23:00:00.000Z', to: '2025-03-31T22:00:00.000Z' };
    const [got] = await platform.services.spending.totals({ userId: alice.id, currency: 'EUR', windows: [w], type: 'expense' });
    const want = expected(within(w.from, w.to).filter((r) => r.type === 'expense'), 'EUR');
    expect(got!.amount).toBeCloseTo(want.amount, 1);
    expect(got!.count).toBe(want.count);
    // A window inside one day: only the expenses of its hours.
    const hours = { key: 'h', from: '2025-03-10T05:00:00.000Z', to: '2025-03-10T18:00:00.000Z' };
    const inHours = await platform.services.spending.totals({ userId: alice.id, currency: 'EUR', windows: [hours] });
    expect(inHours.reduce((n, t) => n + t.count + t.pendingCount, 0)).toBe(within(hours.from, hours.to).length);
  });

  it('follows updates and deletes of expenses', async () => {
    const w = { key: 'all', from: '2025-01-01T00:00:00.000Z', to: '2025-06-01T00:00:00.000Z' };
    const changed = rows.map((r) => ({ ...r }));
    for (const i of [1, 2, 3]) {
      const patch = { amount: 10 * i, currency: 'EUR', date: '2025-04-0' + i + 'T12:00:00.000Z', category: 'transport', type: 'expense' as const };
      expect((await api.put(`/api/expenses/${ids[i]}`, patch, alice.token)).status).toBe(200);
      Object.assign(changed[i]!, patch);
    }
    for (const i of [4, 5]) expect((await api.del(`/api/expenses/${ids[i]}`, alice.token)).status).toBe(200);
    const live = changed.filter((_, i) => i !== 4 && i !== 5);
    const totals = await platform.services.spending.totals({ userId: alice.id, currency: 'USD', windows: [w], groupBy: 'category' });
    for (const t of totals) {
      const want = expected(live.filter((r) => r.type === t.type && r.category === t.group && r.date >= w.from && r.date < w.to), 'USD');
      expect([t.amount, t.count, t.pendingCount]).toEqual([expect.closeTo(want.amount, 1), want.count, want.pending]);
    }
  });

  it('keeps its daily totals equal to the expenses themselves (a rebuilt table would drop the triggers)', async () => {
    const triggers = await platform.db.all<{ name: string }>(sql`select name from sqlite_master where type = 'trigger' and tbl_name = 'expense' and name like 'expense_day_%' order by name`);
    expect(triggers.map((t) => t.name)).toEqual(['expense_day_delete', 'expense_day_insert', 'expense_day_update']);
    const differences = await platform.db.all(sql`
      select * from (
        select user_id, type, substr(date, 1, 10) as day, currency, category, sum(amount_minor) as minor, count(*) as n from expense group by 1, 2, 3, 4, 5
        except
        select user_id, type, day, currency, category, amount_minor, count from expense_category_day)
      union all
      select * from (
        select user_id, type, day, currency, null, amount_minor, count from expense_day
        except
        select user_id, type, substr(date, 1, 10), currency, null, sum(amount_minor), count(*) from expense group by 1, 2, 3, 4)`);
    expect(differences).toEqual([]);
  });
});
