import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { factor, FIRST_RATE_DAY } from '../../tests/support/ecb-rates.ts';
import { startRatesServer } from '../../tests/support/rates-server.ts';

// Inside the fixture's rate days, so every conversion has a rate.
const APRIL_15 = new Date('2025-04-15T12:00:00.000Z');

describe('group expenses, balances and settle-up', () => {
  let rates: Awaited<ReturnType<typeof startRatesServer>>;
  let app: Awaited<ReturnType<typeof createTestApp>>;
  let api: Awaited<ReturnType<typeof createTestApp>>['api'];
  let alice: { token: string; id: string; email: string };
  let bob: typeof alice;
  let carol: typeof alice;

  beforeAll(async () => {
    rates = await startRatesServer();
    app = await createTestApp({ rates, clock: { now: () => APRIL_15 } });
    api = app.api;
    await app.platform.jobs.run('currency.refresh', 'manual');
    alice = await api.register(undefined, 'Alice');
    bob = await api.register(undefined, 'Bob');
    carol = await api.register(undefined, 'Carol');
  });
  afterAll(() => rates?.close());

  /** Alice's EUR group with Bob and Carol. */
  const trio = async (currency = 'EUR') => {
    const id = (await api.post('/api/groups', { name: 'Trip', currency }, alice.token)).body.data._id as string;
    await api.post(`/api/groups/${id}/members`, { email: bob.email }, alice.token);
    await api.post(`/api/groups/${id}/members`, { email: carol.email }, alice.token);
    return id;
  };
  const spend = (id: string, body: Record<string, unknown>, token = alice.token) =>
    api.post(`/api/groups/${id}/expenses`, { description: 'Dinner', category: 'food', ...body }, token);
  const balancesOf = async (id: string, token = alice.token) => {
    const res = await api.get(`/api/groups/${id}/balances`, token);
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.data.balances.map((b: { user: { name: string }; balance: number }) => [b.user.name, b.balance]));
  };

  it('adds an expense the caller paid, split equally; it is an ordinary expense of theirs', async () => {
    const id = await trio();
    const res = await spend(id, { amount: 100, date: '2025-04-10' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      success: true,
      data: {
        addedBy: alice.id,
        paidBy: alice.id,
        description: 'Dinner',
        amount: 100,
        currency: 'EUR',
        category: 'food',
        date: '2025-04-10T00:00:00.000Z',
        // 100.00 in three: the payer's share takes the odd cent.
        shares: [
          { user: alice.id, amount: 33.34 },
          { user: bob.id, amount: 33.33 },
          { user: carol.id, amount: 33.33 },
        ],
      },
    });
    const expenseId = res.body.data.expense as string;
    const own = await api.get(`/api/expenses/${expenseId}`, alice.token);
    expect(own).toMatchObject({ status: 200, body: { _id: expenseId, amount: 100, originalCurrency: 'EUR' } });
    expect((await api.get(`/api/expenses/${expenseId}`, bob.token)).status).toBe(404);

    expect(await balancesOf(id)).toEqual({ Alice: 66.66, Bob: -33.33, Carol: -33.33 });
    const detail = (await api.get(`/api/groups/${id}`, bob.token)).body.data;
    expect(detail.expenses).toEqual([
      { expense: expenseId, addedBy: alice.id, addedAt: APRIL_15.toISOString(), paidBy: alice.id, description: 'Dinner', amount: 100, currency: 'EUR', category: 'food', date: '2025-04-10T00:00:00.000Z' },
    ]);
    expect((await api.get('/api/groups', bob.token)).body.data.find((g: { _id: string }) => g._id === id).totalExpenses).toBe(1);
  });

  it('links without debts when split is none', async () => {
    const id = await trio();
    const res = await spend(id, { amount: 30, split: 'none' }, bob.token);
    expect(res).toMatchObject({ status: 201, body: { data: { paidBy: bob.id, shares: [] } } });
    expect(await balancesOf(id)).toEqual({ Alice: 0, Bob: 0, Carol: 0 });
  });

  it('refuses bad expenses with a 4xx and writes nothing', async () => {
    const id = await trio();
    for (const body of [
      { amount: 0 },
      { amount: -5 },
      { amount: 10.001 },
      { amount: 10, currency: 'XYZ' },
      { amount: 10, category: 'no such category' },
      { amount: 10, date: '1800-01-01' },
      { amount: 10, split: 'shares' },
      { amount: 10, description: '' },
    ]) {
      const res = await spend(id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.success).toBe(false);
    }
    expect((await api.get(`/api/groups/${id}`, alice.token)).body.data.expenses).toEqual([]);
    expect(await balancesOf(id)).toEqual({ Alice: 0, Bob: 0, Carol: 0 });
  });

  it('converts every ledger entry at the rate of its own day, and lists those without a rate as pending', async () => {
    const id = await trio('EUR');
    await spend(id, { amount: 90, currency: 'USD', date: '2025-03-03' });
    await spend(id, { amount: 30, currency: 'GBP', date: '2025-04-14' }, bob.token);
    // Before the first rate day held: no rate, so pending, never guessed.
    const early = await spend(id, { amount: 60, currency: 'USD', date: '2024-01-02' }, carol.token);
    expect(early.status).toBe(201);

    const usdShare = Math.round(3000 * factor('USD', 'EUR', '2025-03-03')!) / 100; // 30 USD
    const gbpShare = Math.round(1000 * factor('GBP', 'EUR', '2025-04-14')!) / 100; // 10 GBP
    const res = await api.get(`/api/groups/${id}/balances`, carol.token);
    const b = Object.fromEntries(res.body.data.balances.map((x: { user: { name: string }; balance: number }) => [x.user.name, x.balance]));
    expect(b.Alice).toBeCloseTo(2 * usdShare - gbpShare, 2);
    expect(b.Bob).toBeCloseTo(2 * gbpShare - usdShare, 2);
    expect(b.Carol).toBeCloseTo(-usdShare - gbpShare, 2);
    expect(Math.round((b.Alice + b.Bob + b.Carol) * 100)).toBe(0);
    expect(res.body.data.pendingCount).toBe(2);
    expect(res.body.data.pending).toEqual([
      { _id: expect.any(String), kind: 'debt', fromUserId: alice.id, toUserId: carol.id, amount: 20, currency: 'USD', date: '2024-01-02T00:00:00.000Z' },
      { _id: expect.any(String), kind: 'debt', fromUserId: bob.id, toUserId: carol.id, amount: 20, currency: 'USD', date: '2024-01-02T00:00:00.000Z' },
    ].sort((x, y) => (x.fromUserId < y.fromUserId ? -1 : 1)) as unknown[]);
    expect(FIRST_RATE_DAY > '2024-01-02').toBe(true);

    const stats = await api.get(`/api/groups/${id}/statistics`, bob.token);
    const usd = Math.round(9000 * factor('USD', 'EUR', '2025-03-03')!);
    const gbp = Math.round(3000 * factor('GBP', 'EUR', '2025-04-14')!);
    expect(stats).toMatchObject({
      status: 200,
      body: {
        success: true,
        data: {
          totalMembers: 3,
          totalExpenses: 3,
          totalAmount: (usd + gbp) / 100,
          pendingCount: 1,
          currency: 'EUR',
          memberContributions: [
            { user: alice.id, name: 'Alice', totalAmount: usd / 100, expenseCount: 1 },
            { user: bob.id, name: 'Bob', totalAmount: gbp / 100, expenseCount: 1 },
            { user: carol.id, name: 'Carol', totalAmount: 0, expenseCount: 1 },
          ],
        },
      },
    });
  });

  it('suggests a plan that settles everyone; recorded settlements bring every balance to 0', async () => {
    const id = await trio();
    await spend(id, { amount: 90 });
    await spend(id, { amount: 30 }, bob.token);
    // Alice +60 -10 = 50; Bob +20 -30 = -10; Carol -30 -10 = -40.
    expect(await balancesOf(id)).toEqual({ Alice: 50, Bob: -10, Carol: -40 });
    const plan = await api.get(`/api/groups/${id}/settlements/suggested`, bob.token);
    expect(plan.body).toEqual({
      success: true,
      count: 2,
      currency: 'EUR',
      data: [
        { from: { _id: carol.id, name: 'Carol', email: carol.email }, to: { _id: alice.id, name: 'Alice', email: alice.email }, amount: 40 },
        { from: { _id: bob.id, name: 'Bob', email: bob.email }, to: { _id: alice.id, name: 'Alice', email: alice.email }, amount: 10 },
      ],
    });
    for (const t of plan.body.data) {
      const res = await api.post(`/api/groups/${id}/settlements`, { fromUserId: t.from._id, toUserId: t.to._id, amount: t.amount, note: 'settle' }, alice.token);
      expect(res).toMatchObject({ status: 201, body: { success: true, data: { fromUserId: t.from._id, toUserId: t.to._id, amount: t.amount, currency: 'EUR', recordedBy: alice.id, note: 'settle' } } });
    }
    expect(await balancesOf(id)).toEqual({ Alice: 0, Bob: 0, Carol: 0 });
    expect((await api.get(`/api/groups/${id}/settlements/suggested`, carol.token)).body).toEqual({ success: true, count: 0, currency: 'EUR', data: [] });

    const list = await api.get(`/api/groups/${id}/settlements`, carol.token);
    expect(list.body).toMatchObject({ success: true, count: 2 });
    expect(list.body.data.map((s: { amount: number }) => s.amount)).toEqual([10, 40]);
    const page = await api.get(`/api/groups/${id}/settlements?limit=1`, carol.token);
    expect(page.headers.get('link')).toMatch(/rel="next"/);
  });

  it('takes a settlement in another currency at the rate of its day', async () => {
    const id = await trio();
    await spend(id, { amount: 30 }, bob.token);
    const res = await api.post(`/api/groups/${id}/settlements`, { fromUserId: alice.id, toUserId: bob.id, amount: 10, currency: 'usd' }, alice.token);
    expect(res.body.data).toMatchObject({ currency: 'USD', amount: 10, date: APRIL_15.toISOString() });
    const paid = Math.round(1000 * factor('USD', 'EUR', '2025-04-15')!) / 100;
    const b = await balancesOf(id);
    expect(b.Alice).toBeCloseTo(-10 + paid, 2);
    expect(b.Bob).toBeCloseTo(20 - paid, 2);
  });

  it('refuses a bad settlement with a 4xx', async () => {
    const id = await trio();
    const stranger = await api.register();
    await api.del(`/api/groups/${id}/members/${carol.id}`, alice.token);
    const bad = [
      { fromUserId: bob.id, toUserId: bob.id, amount: 5 },
      { fromUserId: bob.id, toUserId: alice.id, amount: 0 },
      { fromUserId: bob.id, toUserId: alice.id, amount: -1 },
      { fromUserId: bob.id, toUserId: alice.id, amount: 1.234 },
      { fromUserId: bob.id, toUserId: alice.id, amount: 1, currency: 'ABC' },
      { fromUserId: bob.id, toUserId: stranger.id, amount: 1 },
      { fromUserId: carol.id, toUserId: alice.id, amount: 1 },
      { fromUserId: bob.id, amount: 1 },
      { fromUserId: bob.id, toUserId: alice.id, amount: 1, note: 'n'.repeat(501) },
    ];
    for (const body of bad) {
      const res = await api.post(`/api/groups/${id}/settlements`, body, alice.token);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    }
    // A member records only payments they are part of.
    const dave = await api.register();
    await api.post(`/api/groups/${id}/members`, { email: dave.email }, alice.token);
    expect(await api.post(`/api/groups/${id}/settlements`, { fromUserId: bob.id, toUserId: alice.id, amount: 1 }, dave.token)).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    expect((await api.post(`/api/groups/${id}/settlements`, { fromUserId: bob.id, toUserId: alice.id, amount: 1 }, bob.token)).status).toBe(201);
    expect((await api.post(`/api/groups/${id}/settlements`, { fromUserId: bob.id, toUserId: alice.id, amount: 1 }, stranger.token)).status).toBe(404);
  });

  it('keeps a removed member’s balance in the group', async () => {
    const id = await trio();
    await spend(id, { amount: 30 });
    await api.del(`/api/groups/${id}/members/${carol.id}`, alice.token);
    const res = await api.get(`/api/groups/${id}/balances`, alice.token);
    expect(res.body.data.balances.find((b: { user: { _id: string } }) => b.user._id === carol.id)).toMatchObject({ isActive: false, balance: -10 });
    const plan = (await api.get(`/api/groups/${id}/settlements/suggested`, alice.token)).body.data;
    expect(plan.map((t: { from: { name: string }; amount: number }) => [t.from.name, t.amount])).toEqual([
      ['Bob', 10],
      ['Carol', 10],
    ]);
  });

  it('counts the splits plugin’s entries (written through the service) in the balances', async () => {
    const id = await trio();
    const { db, services } = app.platform;
    const [statement] = services.groups.ledgerStatements([
      { groupId: id, kind: 'debt', fromUserId: bob.id, toUserId: carol.id, amountMinor: 2500, currency: 'EUR', date: '2025-04-01', sourceId: 'split-x' },
      { groupId: id, kind: 'payment', fromUserId: bob.id, toUserId: carol.id, amountMinor: 1000, currency: 'EUR', date: '2025-04-02', sourceId: 'split-x' },
    ]);
    await db.batch([statement!]);
    expect(await balancesOf(id)).toEqual({ Alice: 0, Bob: -15, Carol: 15 });
    // The split's payment is listed among the group's payments.
    expect((await api.get(`/api/groups/${id}/settlements`, alice.token)).body.data).toMatchObject([{ sourceId: 'split-x', recordedBy: null, amount: 10 }]);
  });
});
