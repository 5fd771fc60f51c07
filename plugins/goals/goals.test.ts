import { describe, expect, it } from 'vitest';
import type { DomainEvents } from '../../core/events.ts';
import { createTestApp } from '../../tests/support/app.ts';

const seedGoal = {
  title: 'Emergency Fund',
  description: 'Save for emergencies',
  targetAmount: 10000,
  goalType: 'savings',
  targetDate: '2099-12-31',
  priority: 'high',
};

describe('goals', async () => {
  const { api, platform } = await createTestApp();
  const alice = await api.register();
  const bob = await api.register();

  const milestones: DomainEvents['goal.milestone_reached'][] = [];
  const achieved: DomainEvents['goal.achieved'][] = [];
  platform.events.on('goal.milestone_reached', (e) => void milestones.push(e));
  platform.events.on('goal.achieved', (e) => void achieved.push(e));
  const eventsOf = (goalId: string) => ({
    milestones: milestones.filter((e) => e.goalId === goalId).map((e) => e.milestone),
    achieved: achieved.filter((e) => e.goalId === goalId).length,
  });

  const newGoal = async (body: Record<string, unknown> = {}, token = alice.token) => {
    const res = await api.post('/api/goals', { ...seedGoal, ...body }, token);
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { _id: string } & Record<string, unknown>;
  };
  const contribute = (id: string, body: Record<string, unknown>, token = alice.token) => api.patch(`/api/goals/${id}/contribute`, body, token);

  describe('happy', () => {
    it('creates a goal with the seed fields and its progress', async () => {
      const res = await api.post('/api/goals', seedGoal, alice.token);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        _id: expect.any(String),
        title: 'Emergency Fund',
        description: 'Save for emergencies',
        targetAmount: 10000,
        currentAmount: 0,
        currency: 'USD',
        goalType: 'savings',
        targetDate: '2099-12-31',
        priority: 'high',
        status: 'active',
        progress: 0,
        remainingAmount: 10000,
        daysLeft: expect.any(Number),
        monthlyNeeded: expect.any(Number),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(res.body.daysLeft).toBeGreaterThan(20_000);
      const read = await api.get(`/api/goals/${res.body._id}`, alice.token);
      expect(read.body).toEqual({ ...res.body, contributions: [] });
    });

    it('defaults type, priority, saved amount and currency (the user’s display currency)', async () => {
      const user = await api.register();
      await api.patch('/api/auth/me', { settings: { currency: 'EUR' } }, user.token);
      const res = await api.post('/api/goals', { title: 'Bike', targetAmount: 500 }, user.token);
      expect(res.body).toMatchObject({
        description: null,
        goalType: 'savings',
        priority: 'medium',
        currentAmount: 0,
        currency: 'EUR',
        targetDate: null,
        daysLeft: null,
        monthlyNeeded: null,
      });
      const jpy = await api.post('/api/goals', { title: 'Trip', targetAmount: 300000, currency: 'jpy', currentAmount: 1000 }, user.token);
      expect(jpy.body).toMatchObject({ currency: 'JPY', currentAmount: 1000, progress: 0.33, remainingAmount: 299000 });
    });

    it('lists the user’s goals newest first, filters by status, pages with a Link', async () => {
      const user = await api.register();
      const a = await newGoal({ title: 'A' }, user.token);
      const b = await newGoal({ title: 'B', currentAmount: 10000 }, user.token);
      const c = await newGoal({ title: 'C' }, user.token);
      const all = await api.get('/api/goals', user.token);
      expect(all.status).toBe(200);
      expect(all.body.map((g: { title: string }) => g.title)).toEqual(['C', 'B', 'A']);
      expect(all.body[1]).toMatchObject({ status: 'completed', progress: 100, remainingAmount: 0, monthlyNeeded: 0 });
      expect((await api.get('/api/goals?status=completed', user.token)).body.map((g: { _id: string }) => g._id)).toEqual([b._id]);

      const first = await api.get('/api/goals?limit=2', user.token);
      expect(first.body.map((g: { _id: string }) => g._id)).toEqual([c._id, b._id]);
      const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
      expect(link).toMatch(/^\/api\/goals\?limit=2&cursor=/);
      const second = await api.get(link!, user.token);
      expect(second.body.map((g: { _id: string }) => g._id)).toEqual([a._id]);
      expect(second.headers.get('link')).toBeNull();
    });

    it('updates part of a goal; null clears description and targetDate', async () => {
      const goal = await newGoal();
      const res = await api.put(`/api/goals/${goal._id}`, { title: 'Rainy day', priority: 'low', description: null, targetDate: null }, alice.token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ title: 'Rainy day', priority: 'low', description: null, targetDate: null, daysLeft: null, targetAmount: 10000, goalType: 'savings' });
      expect(res.body.updatedAt >= goal.updatedAt!).toBe(true);
      const archived = await api.put(`/api/goals/${goal._id}`, { status: 'archived' }, alice.token);
      expect(archived.body.status).toBe('archived');
      expect((await api.get(`/api/goals/${goal._id}`, alice.token)).body).toMatchObject({ title: 'Rainy day', status: 'archived' });
    });

    it('adds and withdraws; the history is newest first', async () => {
      const goal = await newGoal({ targetAmount: 1000 });
      expect((await contribute(goal._id, { amount: 100.5, note: 'March' })).body).toMatchObject({ currentAmount: 100.5, progress: 10.05 });
      const res = await contribute(goal._id, { amount: -0.5 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ currentAmount: 100, remainingAmount: 900, progress: 10 });
      const read = await api.get(`/api/goals/${goal._id}`, alice.token);
      expect(read.body.contributions).toEqual([
        { _id: expect.any(String), amount: -0.5, note: null, createdAt: expect.any(String) },
        { _id: expect.any(String), amount: 100.5, note: 'March', createdAt: expect.any(String) },
      ]);
    });

    it('deletes a goal and its history', async () => {
      const goal = await newGoal();
      await contribute(goal._id, { amount: 10 });
      expect(await api.del(`/api/goals/${goal._id}`, alice.token)).toMatchObject({ status: 200, body: { success: true, message: 'Goal deleted' } });
      expect((await api.get(`/api/goals/${goal._id}`, alice.token)).status).toBe(404);
      expect((await api.del(`/api/goals/${goal._id}`, alice.token)).status).toBe(404);
      expect((await contribute(goal._id, { amount: 10 })).status).toBe(404);
    });
  });

  describe('errors', () => {
    const invalid: [string, Record<string, unknown>][] = [
      ['a missing title', { title: undefined }],
      ['an empty title', { title: '   ' }],
      ['a title of 201 characters', { title: 'x'.repeat(201) }],
      ['a description of 2001 characters', { description: 'x'.repeat(2001) }],
      ['a missing target', { targetAmount: undefined }],
      ['a negative target', { targetAmount: -100 }],
      ['a zero target', { targetAmount: 0 }],
      ['a target of 10^12', { targetAmount: 1e12 }],
      ['a target as text', { targetAmount: '100' }],
      ['more decimals than USD allows', { targetAmount: 10.001 }],
      ['decimals on JPY', { targetAmount: 100.5, currency: 'JPY' }],
      ['a negative saved amount', { currentAmount: -1 }],
      ['a bad goal type', { goalType: 'lottery' }],
      ['a bad priority', { priority: 'urgent' }],
      ['a bad date', { targetDate: '2024-13-45' }],
      ['a date-time for a date', { targetDate: '2024-12-31T00:00:00Z' }],
      ['a date beyond 2100', { targetDate: '2101-01-01' }],
      ['an unknown currency', { currency: 'ABC' }],
      ['a currency of 500 characters', { currency: 'U'.repeat(500) }],
    ];

    it.each(invalid)('refuses %s: 400, nothing stored', async (_, change) => {
      const user = await api.register();
      const res = await api.post('/api/goals', { ...seedGoal, ...change }, user.token);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED', error: expect.any(String), details: [expect.objectContaining({ path: expect.any(String) })] });
      expect((await api.get('/api/goals', user.token)).body).toEqual([]);
    });

    it('refuses an empty or invalid update and leaves the goal as it was', async () => {
      const goal = await newGoal();
      for (const body of [{}, { status: 'done' }, { targetAmount: -5 }, { title: '' }, { targetDate: 'tomorrow' }, { currentAmount: 0.001 }]) {
        const res = await api.put(`/api/goals/${goal._id}`, body, alice.token);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      expect((await api.get(`/api/goals/${goal._id}`, alice.token)).body).toEqual({ ...goal, contributions: [] });
    });

    it('refuses a bad contribution, and a withdrawal below 0, changing nothing', async () => {
      const goal = await newGoal({ targetAmount: 100 });
      await contribute(goal._id, { amount: 30 });
      for (const body of [{}, { amount: 0 }, { amount: '5' }, { amount: 1e12 }, { amount: 0.001 }, { amount: 5, note: 'x'.repeat(501) }]) {
        const res = await contribute(goal._id, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
      const withdrawal = await contribute(goal._id, { amount: -30.01 });
      expect(withdrawal.status).toBe(400);
      expect(withdrawal.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED', details: [{ path: 'json.amount' }] });
      const read = await api.get(`/api/goals/${goal._id}`, alice.token);
      expect(read.body).toMatchObject({ currentAmount: 30 });
      expect(read.body.contributions).toHaveLength(1);
      expect((await contribute(goal._id, { amount: -30 })).body.currentAmount).toBe(0);
    });

    it('refuses a bad status filter or cursor', async () => {
      expect((await api.get('/api/goals?status=done', alice.token)).status).toBe(400);
      expect((await api.get('/api/goals?cursor=nonsense', alice.token)).body.code).toBe('INVALID_CURSOR');
      expect((await api.get('/api/goals?limit=0', alice.token)).status).toBe(400);
    });

    it('needs a token', async () => {
      expect((await api.get('/api/goals')).status).toBe(401);
      expect((await api.post('/api/goals', seedGoal)).status).toBe(401);
    });
  });

  describe('security', () => {
    it('shows another user’s goal as absent (404) and leaves it unchanged', async () => {
      const goal = await newGoal({ targetAmount: 100 });
      await contribute(goal._id, { amount: 10 });
      const before = (await api.get(`/api/goals/${goal._id}`, alice.token)).body;
      for (const res of [
        await api.get(`/api/goals/${goal._id}`, bob.token),
        await api.put(`/api/goals/${goal._id}`, { title: 'Mine now', currentAmount: 100 }, bob.token),
        await contribute(goal._id, { amount: 90 }, bob.token),
        await contribute(goal._id, { amount: -10 }, bob.token),
        await api.del(`/api/goals/${goal._id}`, bob.token),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
      }
      expect((await api.get('/api/goals', bob.token)).body.map((g: { _id: string }) => g._id)).not.toContain(goal._id);
      expect((await api.get(`/api/goals/${goal._id}`, alice.token)).body).toEqual(before);
      expect(eventsOf(goal._id)).toEqual({ milestones: [], achieved: 0 });
    });
  });

  describe('milestones and completion', () => {
    it('announces 25, 50 and 75% once each, then the achievement once', async () => {
      const goal = await newGoal({ targetAmount: 1000, title: 'Car' });
      await contribute(goal._id, { amount: 249.99 });
      expect(eventsOf(goal._id).milestones).toEqual([]);
      await contribute(goal._id, { amount: 0.01 });
      expect(milestones.filter((e) => e.goalId === goal._id)).toEqual([
        { userId: alice.id, goalId: goal._id, title: 'Car', milestone: 25, currentAmount: 250, targetAmount: 1000, currency: 'USD' },
      ]);
      // Down below 25% and back up: not again. Then 50 and 75 in one step: both, lowest first.
      await contribute(goal._id, { amount: -100 });
      await contribute(goal._id, { amount: 100 });
      await contribute(goal._id, { amount: 550 });
      expect(eventsOf(goal._id)).toEqual({ milestones: [25, 50, 75], achieved: 0 });
      const done = await contribute(goal._id, { amount: 200 });
      expect(done.body).toMatchObject({ status: 'completed', progress: 100, currentAmount: 1000, remainingAmount: 0 });
      expect(achieved.filter((e) => e.goalId === goal._id)).toEqual([
        { userId: alice.id, goalId: goal._id, title: 'Car', currentAmount: 1000, targetAmount: 1000, currency: 'USD' },
      ]);
      await contribute(goal._id, { amount: -500 });
      await contribute(goal._id, { amount: 600 });
      expect(eventsOf(goal._id)).toEqual({ milestones: [25, 50, 75], achieved: 1 });
    });

    it('completes a goal when an update moves the saved amount to the target', async () => {
      const goal = await newGoal({ targetAmount: 1000 });
      const res = await api.put(`/api/goals/${goal._id}`, { currentAmount: 1000 }, alice.token);
      expect(res.body).toMatchObject({ status: 'completed', progress: 100 });
      expect(eventsOf(goal._id)).toEqual({ milestones: [25, 50, 75], achieved: 1 });
    });

    it('completes a goal when an update lowers the target to the saved amount', async () => {
      const goal = await newGoal({ targetAmount: 1000 });
      await contribute(goal._id, { amount: 600 });
      expect(eventsOf(goal._id)).toEqual({ milestones: [25, 50], achieved: 0 });
      const res = await api.put(`/api/goals/${goal._id}`, { targetAmount: 600 }, alice.token);
      expect(res.body).toMatchObject({ status: 'completed', progress: 100, targetAmount: 600 });
      expect(eventsOf(goal._id)).toEqual({ milestones: [25, 50, 75], achieved: 1 });
      await api.put(`/api/goals/${goal._id}`, { targetAmount: 2000, status: 'active' }, alice.token);
      await api.put(`/api/goals/${goal._id}`, { targetAmount: 500 }, alice.token);
      expect(eventsOf(goal._id)).toEqual({ milestones: [25, 50, 75], achieved: 1 });
    });

    it('does not announce the levels a goal starts at', async () => {
      const goal = await newGoal({ targetAmount: 1000, currentAmount: 600 });
      await contribute(goal._id, { amount: 200 });
      expect(eventsOf(goal._id)).toEqual({ milestones: [75], achieved: 0 });
      const full = await newGoal({ targetAmount: 1000, currentAmount: 1000 });
      expect(full.status).toBe('completed');
      await contribute(full._id, { amount: 1 });
      expect(eventsOf(full._id)).toEqual({ milestones: [], achieved: 0 });
    });

    it('sums 20 concurrent contributions exactly and announces each level once', async () => {
      const goal = await newGoal({ targetAmount: 200 });
      const results = await Promise.all(Array.from({ length: 20 }, () => contribute(goal._id, { amount: 10.01 })));
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      const read = await api.get(`/api/goals/${goal._id}`, alice.token);
      expect(read.body).toMatchObject({ currentAmount: 200.2, status: 'completed' });
      expect(read.body.contributions).toHaveLength(20);
      expect(eventsOf(goal._id)).toEqual({ milestones: [25, 50, 75], achieved: 1 });
    });

    it('lets only as many concurrent withdrawals through as the saved amount covers', async () => {
      const goal = await newGoal({ targetAmount: 1000, currentAmount: 50 });
      const results = await Promise.all(Array.from({ length: 10 }, () => contribute(goal._id, { amount: -10 })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(5);
      expect(results.filter((r) => r.status === 400)).toHaveLength(5);
      expect((await api.get(`/api/goals/${goal._id}`, alice.token)).body.currentAmount).toBe(0);
    });
  });
});
