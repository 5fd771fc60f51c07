import { describe, expect, it } from 'vitest';
import { Expense } from './schemas.ts';
import { expenses } from './tables.ts';
import { createTestApp } from '../../tests/support/app.ts';
import { startRatesServer, UNREACHABLE_URL } from '../../tests/support/rates-server.ts';

type Item = { _id: string; date: string; description: string; displayAmount: number };

describe('listing expenses', async () => {
  const rates = await startRatesServer();
  const { api, platform } = await createTestApp({ rates });
  await platform.jobs.run('currency.refresh', 'manual');
  const user = await api.register();
  const add = (body: Record<string, unknown>) =>
    api.post('/api/expenses', { description: 'x', amount: 10, currency: 'USD', category: 'food', ...body }, user.token);

  await add({ description: 'Coffee at 100% Beans', amount: 4.5, date: '2025-03-01', merchant: 'Beans_Co' });
  await add({ description: 'Train ticket', amount: 60, category: 'transport', date: '2025-03-10' });
  await add({ description: 'Paycheck', amount: 3000, category: 'salary', type: 'income', date: '2025-03-31' });
  await add({ description: 'Hotel', amount: 200, currency: 'EUR', category: 'travel', date: '2025-04-15' });
  await add({ description: 'Groceries', amount: 85.3, date: '2025-04-15T18:30:00+02:00' });

  const list = async (query: string) => {
    const res = await api.get<Item[]>(`/api/expenses${query}`, user.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.map((e) => e.description);
  };

  it('returns a bare array, newest first', async () => {
    expect(await list('')).toEqual(['Groceries', 'Hotel', 'Paycheck', 'Train ticket', 'Coffee at 100% Beans']);
  });

  it('gives exactly the documented shape (SQLite writes this JSON, so the schema checks it)', async () => {
    const res = await api.get('/api/expenses', user.token);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    for (const item of res.body) expect(() => Expense.strict().parse(item)).not.toThrow();
    const hotel = res.body.find((e: Item) => e.description === 'Hotel');
    expect(hotel).toMatchObject({ amount: 200, originalCurrency: 'EUR', displayCurrency: 'USD', conversionPending: false, tags: [], notes: null });
  });

  it('filters by category, type and dates (a `to` date includes its whole day)', async () => {
    expect(await list('?category=transport')).toEqual(['Train ticket']);
    expect(await list('?type=income')).toEqual(['Paycheck']);
    expect(await list('?from=2025-03-10&to=2025-03-31')).toEqual(['Paycheck', 'Train ticket']);
    expect(await list('?to=2025-04-15')).toHaveLength(5);
    expect(await list('?from=2025-04-15T17:00:00Z')).toEqual([]);
  });

  it('finds text in description or merchant, with % and _ taken literally', async () => {
    expect(await list('?q=ticket')).toEqual(['Train ticket']);
    expect(await list('?q=beans_co')).toEqual(['Coffee at 100% Beans']);
    expect(await list('?q=100%25')).toEqual(['Coffee at 100% Beans']);
    expect(await list('?q=_')).toEqual(['Coffee at 100% Beans']);
  });

  it('filters on the displayed amount, converted ones included', async () => {
    // 200 EUR on 2025-04-15 is about 227 USD.
    expect(await list('?minAmount=200&maxAmount=1000')).toEqual(['Hotel']);
    expect(await list('?maxAmount=4.5')).toEqual(['Coffee at 100% Beans']);
  });

  it('refuses bad filters with 400', async () => {
    for (const q of ['?type=transfer', '?from=yesterday', '?minAmount=-1', '?limit=0', '?limit=201', '?page=0', '?cursor=garbage']) {
      const res = await api.get(`/api/expenses${q}`, user.token);
      expect(res.status, q).toBe(400);
      expect(res.body.success).toBe(false);
    }
  });
});

describe('paging', async () => {
  const { api, platform } = await createTestApp();
  const user = await api.register();
  // 260 expenses, two per day on some days: the keyset has to break ties by id.
  const now = new Date().toISOString();
  const rows = Array.from({ length: 260 }, (_, i) => ({
    id: platform.ids.next(),
    userId: user.id,
    description: `e${i}`,
    amountMinor: 100 + i,
    currency: 'USD',
    minorPerUnit: 100,
    category: 'food',
    type: 'expense' as const,
    date: new Date(Date.UTC(2025, 0, 1 + Math.floor(i / 2))).toISOString(),
    createdAt: now,
    updatedAt: now,
  }));
  await platform.db.batch([platform.db.insert(expenses).values(rows)]);

  const page = async (path: string) => {
    const res = await api.get<Item[]>(path, user.token);
    const link = res.headers.get('link');
    return { items: res.body, next: link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null };
  };

  it('gives 50 by default and points at the next page in a Link header', async () => {
    const first = await page('/api/expenses');
    expect(first.items).toHaveLength(50);
    expect(first.next).toMatch(/^\/api\/expenses\?cursor=/);
  });

  it('walks every expense exactly once with the cursor, keeping the filters', async () => {
    const seen: string[] = [];
    let next: string | null = '/api/expenses?limit=200&category=food';
    while (next) {
      const p = await page(next);
      seen.push(...p.items.map((e) => e._id));
      if (p.next) expect(p.next).toContain('category=food');
      next = p.next;
    }
    expect(seen).toHaveLength(260);
    expect(new Set(seen).size).toBe(260);
    expect(seen).toEqual(rows.map((r) => r.id).reverse());
  });

  it('accepts page numbers for older clients', async () => {
    const third = await page('/api/expenses?limit=100&page=3');
    expect(third.items).toHaveLength(60);
    expect(third.next).toBeNull();
    const second = await page('/api/expenses?limit=100&page=2');
    expect(second.next).toBe('/api/expenses?limit=100&page=3');
    expect(second.items[0]!._id).toBe(rows[159]!.id);
  });
});

describe('offline first start', async () => {
  const rates = await startRatesServer();
  const { api, platform } = await createTestApp({ rates: { dailyUrl: UNREACHABLE_URL, historyUrl: UNREACHABLE_URL } });
  const user = await api.register();

  it('stores a foreign expense and shows it in its own currency until rates arrive', async () => {
    await expect(platform.jobs.run('currency.refresh', 'startup')).rejects.toThrow();
    const created = await api.post('/api/expenses', { description: 'Hotel', amount: 200, currency: 'EUR', category: 'travel', date: '2025-04-15' }, user.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ displayAmount: 200, displayCurrency: 'EUR', conversionPending: true });
    expect((await api.post('/api/expenses', { description: 'Local', amount: 5, category: 'food' }, user.token)).body.conversionPending).toBe(false);
    expect((await api.get('/api/currency/rates', user.token)).status).toBe(503);
  });

  it('converts pending expenses once the job has loaded rates', async () => {
    const { api: api2, platform: p2 } = await createTestApp({ rates });
    const u = await api2.register();
    // Rates are not loaded yet in this database.
    const created = await api2.post('/api/expenses', { description: 'Hotel', amount: 200, currency: 'EUR', category: 'travel', date: '2025-04-15' }, u.token);
    expect(created.body.conversionPending).toBe(true);
    await p2.jobs.run('currency.refresh', 'cron');
    const after = await api2.get(`/api/expenses/${created.body._id}`, u.token);
    expect(after.body).toMatchObject({ displayCurrency: 'USD', conversionPending: false });
    expect(after.body.displayAmount).toBeGreaterThan(200);
  });
});
