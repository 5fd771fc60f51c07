import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { startRatesServer } from '../../tests/support/rates-server.ts';

const lunch = { description: 'Lunch at restaurant', amount: 25.5, currency: 'USD', category: 'food', type: 'expense', date: '2024-01-15' };

describe('expenses', async () => {
  const rates = await startRatesServer();
  const { api, platform } = await createTestApp({ rates });
  await platform.jobs.run('currency.refresh', 'manual');
  const alice = await api.register();
  const bob = await api.register();

  describe('happy', () => {
    it('creates an expense with the seed fields', async () => {
      const res = await api.post('/api/expenses', lunch, alice.token);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        _id: expect.any(String),
        description: 'Lunch at restaurant',
        amount: 25.5,
        originalAmount: 25.5,
        originalCurrency: 'USD',
        displayAmount: 25.5,
        displayCurrency: 'USD',
        conversionPending: false,
        category: 'food',
        type: 'expense',
        date: '2024-01-15T00:00:00.000Z',
        notes: null,
        tags: [],
        merchant: null,
        paymentMethod: null,
        createdAt: expect.any(String),
        version: 1,
        updatedAt: expect.any(String),
      });
      expect((await api.get(`/api/expenses/${res.body._id}`, alice.token)).body).toEqual(res.body);
    });

    it('keeps the optional fields and defaults currency to the display currency', async () => {
      const res = await api.post(
        '/api/expenses',
        { description: 'Salary', amount: 5000, category: 'salary', type: 'income', notes: 'January', tags: ['work'], merchant: 'ACME', paymentMethod: 'bank_transfer' },
        alice.token,
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ originalCurrency: 'USD', type: 'income', notes: 'January', tags: ['work'], merchant: 'ACME', paymentMethod: 'bank_transfer' });
    });

    it('converts a foreign expense with the rate of its date (the newest on or before it)', async () => {
      // 2025-05-03 is a Saturday: the ECB's Friday 2025-05-02 rates apply (USD 1.1343, JPY 163.93).
      const res = await api.post('/api/expenses', { ...lunch, amount: 3000, currency: 'JPY', date: '2025-05-03' }, alice.token);
      expect(res.body).toMatchObject({ originalAmount: 3000, originalCurrency: 'JPY', displayCurrency: 'USD', conversionPending: false });
      expect(res.body.displayAmount).toBe(Math.round(((3000 * 1.1343) / 163.93) * 100) / 100);
    });

    it('answers a create exactly as a read of it shows it: same currency, converted, and pending', async () => {
      const cases = [
        { ...lunch, amount: 0.1, notes: 'n', tags: ['a', 'b'], merchant: 'm', paymentMethod: 'cash' },
        { ...lunch, amount: 3000, currency: 'JPY', date: '2025-05-03' },
        { ...lunch, amount: 12.345, currency: 'BHD', date: '2025-05-03' }, // no ECB rate: pending
        { ...lunch, amount: 19.99, currency: 'EUR', date: '1999-01-01' }, // before the rates held: pending
      ];
      for (const body of cases) {
        const created = await api.post('/api/expenses', body, alice.token);
        expect(created.status).toBe(201);
        expect((await api.get(`/api/expenses/${created.body._id}`, alice.token)).body).toEqual(created.body);
      }
    });

    it('shows amounts in the new display currency as soon as the user changes it', async () => {
      const user = await api.register();
      const created = await api.post('/api/expenses', { ...lunch, amount: 100, date: '2025-05-09' }, user.token);
      await api.patch('/api/auth/me', { settings: { currency: 'EUR' } }, user.token);
      const res = await api.get(`/api/expenses/${created.body._id}`, user.token);
      expect(res.body).toMatchObject({ originalAmount: 100, originalCurrency: 'USD', displayCurrency: 'EUR', displayAmount: 88.87 });
    });

    it('updates part of an expense', async () => {
      const created = await api.post('/api/expenses', lunch, alice.token);
      const res = await api.put(`/api/expenses/${created.body._id}`, { amount: 30, merchant: 'Bistro' }, alice.token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ amount: 30, merchant: 'Bistro', description: lunch.description, category: 'food' });
      expect(res.body.updatedAt >= created.body.updatedAt).toBe(true);
      const cleared = await api.put(`/api/expenses/${created.body._id}`, { merchant: null }, alice.token);
      expect(cleared.body.merchant).toBeNull();
    });

    it('deletes an expense', async () => {
      const created = await api.post('/api/expenses', lunch, alice.token);
      expect(await api.del(`/api/expenses/${created.body._id}`, alice.token)).toMatchObject({
        status: 200,
        body: { success: true, message: 'Expense deleted' },
      });
      expect((await api.get(`/api/expenses/${created.body._id}`, alice.token)).status).toBe(404);
      expect((await api.del(`/api/expenses/${created.body._id}`, alice.token)).status).toBe(404);
    });

    it('accepts the user\u2019s own categories', async () => {
      const user = await api.register();
      expect((await api.post('/api/expenses', { ...lunch, category: 'coffee' }, user.token)).status).toBe(400);
      const made = await api.post('/api/expenses/categories', { name: ' Coffee ' }, user.token);
      expect(made).toMatchObject({ status: 201, body: { name: 'coffee', custom: true } });
      expect((await api.post('/api/expenses', { ...lunch, category: 'coffee' }, user.token)).status).toBe(201);
      const list = await api.get('/api/expenses/categories', user.token);
      expect(list.body).toContainEqual({ name: 'coffee', custom: true });
      expect(list.body).toContainEqual({ name: 'food', custom: false });
      expect((await api.post('/api/expenses/categories', { name: 'coffee' }, user.token)).status).toBe(409);
      expect((await api.post('/api/expenses/categories', { name: 'food' }, user.token)).status).toBe(409);
      expect((await api.del('/api/expenses/categories/coffee', user.token)).status).toBe(409);
      // Another user does not see it.
      expect((await api.post('/api/expenses', { ...lunch, category: 'coffee' }, bob.token)).status).toBe(400);
      expect((await api.del('/api/expenses/categories/coffee', bob.token)).status).toBe(404);
    });

    it('keeps at most 100 categories of a user’s own, even when created at once', async () => {
      const user = await api.register();
      const made = await Promise.all(Array.from({ length: 103 }, (_, i) => api.post('/api/expenses/categories', { name: `c${i}` }, user.token)));
      expect(made.filter((r) => r.status === 201)).toHaveLength(100);
      expect(made.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(['CATEGORY_LIMIT_REACHED', 'CATEGORY_LIMIT_REACHED', 'CATEGORY_LIMIT_REACHED']);
      expect((await api.get('/api/expenses/categories', user.token)).body).toHaveLength(112);
      // Deleting one makes room again.
      const one = made.find((r) => r.status === 201)!.body.name;
      expect((await api.del(`/api/expenses/categories/${one}`, user.token)).status).toBe(200);
      expect((await api.post('/api/expenses/categories', { name: 'c200' }, user.token)).status).toBe(201);
    });

    it('removes an unused custom category, never a built-in one', async () => {
      const user = await api.register();
      await api.post('/api/expenses/categories', { name: 'pets' }, user.token);
      expect(await api.del('/api/expenses/categories/pets', user.token)).toMatchObject({
        status: 200,
        body: { success: true, message: 'Category deleted' },
      });
      expect((await api.del('/api/expenses/categories/pets', user.token)).status).toBe(404);
      expect((await api.del('/api/expenses/categories/food', user.token)).status).toBe(404);
      expect((await api.get('/api/expenses/categories', user.token)).body).not.toContainEqual({ name: 'pets', custom: true });
    });
  });

  describe('errors', () => {
    const invalid: [string, Record<string, unknown>][] = [
      ['more decimals than USD allows', { amount: 1.234 }],
      ['decimals on JPY', { amount: 10.5, currency: 'JPY' }],
      ['a zero amount', { amount: 0 }],
      ['a negative amount', { amount: -5 }],
      ['an amount of 10^12', { amount: 1e12 }],
      ['an unknown currency', { currency: 'ABC' }],
      ['an unknown category', { category: 'yachts' }],
      ['a bad type', { type: 'transfer' }],
      ['a bad date', { date: '2024-13-45' }],
      ['an amount as an operator object', { amount: { $gt: 0 } }],
      ['an empty description', { description: '  ' }],
    ];
    for (const [what, change] of invalid) {
      it(`refuses ${what} with 400`, async () => {
        const res = await api.post('/api/expenses', { ...lunch, ...change }, alice.token);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ success: false, code: expect.stringMatching(/VALIDATION_FAILED|UNKNOWN_CURRENCY|UNKNOWN_CATEGORY/) });
      });
    }

    it('checks the amount against a changed currency on update', async () => {
      const created = await api.post('/api/expenses', { ...lunch, amount: 10.5 }, alice.token);
      const res = await api.put(`/api/expenses/${created.body._id}`, { currency: 'JPY' }, alice.token);
      expect(res.status).toBe(400);
      expect((await api.put(`/api/expenses/${created.body._id}`, {}, alice.token)).status).toBe(400);
    });

    it('ignores unknown fields and never stores them', async () => {
      const res = await api.post('/api/expenses', { ...lunch, userId: bob.id, _id: 'mine', isAdmin: true }, alice.token);
      expect(res.status).toBe(201);
      expect(res.body._id).not.toBe('mine');
      expect(res.body).not.toHaveProperty('isAdmin');
      expect((await api.get(`/api/expenses/${res.body._id}`, bob.token)).status).toBe(404);
    });
  });

  describe('security', () => {
    it("answers 404 for another user's expense, on read, update and delete", async () => {
      const mine = await api.post('/api/expenses', lunch, alice.token);
      const path = `/api/expenses/${mine.body._id}`;
      expect((await api.get(path, bob.token)).status).toBe(404);
      expect((await api.put(path, { amount: 1 }, bob.token)).status).toBe(404);
      expect((await api.del(path, bob.token)).status).toBe(404);
      expect((await api.get(path, alice.token)).body.amount).toBe(25.5);
      const bobs = await api.get('/api/expenses?limit=200', bob.token);
      expect(bobs.body.some((e: { _id: string }) => e._id === mine.body._id)).toBe(false);
    });
  });
});
