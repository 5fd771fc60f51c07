import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('GET /api/events', () => {
  let t: TestApp;
  let now = new Date('2026-01-10T12:00:00.000Z');
  beforeAll(async () => {
    t = await createTestApp({ ocr: null, clock: { now: () => now } });
  });

  const page = (token: string, query = '') => t.api.get(`/api/events${query}`, token);

  it('shows expense and budget writes as events, oldest first, with the data a read shows', async () => {
    const { token } = await t.api.register();
    const created = await t.api.post('/api/expenses', { description: 'Lunch', amount: 12.5, category: 'food' }, token);
    const id = created.body._id as string;
    await t.api.put(`/api/expenses/${id}`, { amount: 13 }, token);
    await t.api.del(`/api/expenses/${id}`, token);
    const budget = await t.api.post('/api/budgets', { name: 'Food', amount: 100, period: 'monthly', category: 'food' }, token);
    expect(budget.status).toBe(201);

    const res = await page(token);
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { seq: number; type: string }) => [e.seq, e.type])).toEqual([
      [1, 'expense.created'],
      [2, 'expense.updated'],
      [3, 'expense.deleted'],
      [4, 'budget.created'],
    ]);
    expect(res.body.events[0].data).toMatchObject({ _id: id, description: 'Lunch', amount: 12.5, category: 'food', version: 1 });
    expect(res.body.events[1].data).toMatchObject({ _id: id, amount: 13, version: 2 });
    expect(res.body.events[2].data).toEqual({ _id: id });
    expect(res.body.events[3].data).toMatchObject({ _id: budget.body._id, name: 'Food' });
    expect(res.body).toMatchObject({ next: 4, hasMore: false });

    expect((await page(token, '?after=1&limit=1')).body).toMatchObject({ events: [{ seq: 2 }], next: 2, hasMore: true });
    expect((await page(token, '?types=expense.deleted,budget.created')).body.events.map((e: { seq: number }) => e.seq)).toEqual([3, 4]);
    expect((await page(token, '?after=4')).body).toEqual({ events: [], next: 4, hasMore: false });
  });

  it('stores a goal achieved (emitted after its commit) without the user id', async () => {
    const alice = await t.api.register();
    const goal = await t.api.post('/api/goals', { title: 'Bike', targetAmount: 100 }, alice.token);
    expect((await t.api.patch(`/api/goals/${goal.body._id}/contribute`, { amount: 100 }, alice.token)).status).toBe(200);
    const types = (await page(alice.token)).body.events.map((e: { type: string }) => e.type);
    expect(types).toContain('goal.achieved');
    const achieved = (await page(alice.token, '?types=goal.achieved')).body.events[0];
    expect(achieved.data).toMatchObject({ goalId: goal.body._id, title: 'Bike', targetAmount: 100 });
    expect(achieved.data.userId).toBeUndefined();
  });

  it('stores a split for each participant and a payment for the payer and the participant, in their own writes', async () => {
    const alice = await t.api.register(undefined, 'Alice');
    const bob = await t.api.register(undefined, 'Bob');
    const group = await t.api.post('/api/groups', { name: 'Trip' }, alice.token);
    expect((await t.api.post(`/api/groups/${group.body.data._id}/members`, { email: bob.email }, alice.token)).status).toBeLessThan(300);
    const expense = await t.api.post('/api/expenses', { description: 'Dinner', amount: 60, category: 'food' }, alice.token);
    const split = await t.api.post('/api/splits', { expenseId: expense.body._id, groupId: group.body.data._id, splitMethod: 'equal' }, alice.token);
    expect(split.status).toBe(201);
    const splitId = split.body.data._id as string;
    expect((await t.api.call('PATCH', `/api/splits/${splitId}/pay`, { token: bob.token })).status).toBe(200);

    const of = async (token: string, type: string) => (await page(token, `?types=${type}`)).body.events.map((e: { data: unknown }) => e.data);
    for (const user of [alice, bob]) {
      expect(await of(user.token, 'split.created')).toEqual([
        { splitId, groupId: group.body.data._id, expenseId: expense.body._id, payerId: alice.id, description: 'Dinner', amount: 60, share: 30, currency: 'USD' },
      ]);
      expect(await of(user.token, 'split.paid')).toEqual([{ splitId, groupId: group.body.data._id, participantId: bob.id, markedBy: bob.id, amount: 30, currency: 'USD' }]);
    }
  });

  it('refuses an unknown type, a bad cursor or limit (400) and a missing token (401); shows no one else’s events', async () => {
    const alice = await t.api.register();
    const bob = await t.api.register();
    await t.api.post('/api/expenses', { description: 'Taxi', amount: 7, category: 'transport' }, alice.token);
    expect((await page(bob.token)).body.events).toEqual([]);
    const unknown = await page(alice.token, '?types=expense.created,expense.exploded');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('expense.exploded');
    expect((await page(alice.token, '?types=EXPENSE')).status).toBe(400);
    expect((await page(alice.token, '?after=-1')).status).toBe(400);
    expect((await page(alice.token, '?limit=501')).status).toBe(400);
    expect((await t.api.get('/api/events')).status).toBe(401);
  });

  it('pages through events while writes go on, with no gap and no repeat', async () => {
    const { token } = await t.api.register();
    const writes = 120;
    const ids: string[] = [];
    let writing = true;
    const writer = (async () => {
      // Several in flight at once: commits interleave with the reads below.
      for (let i = 0; i < writes; i += 6) {
        const batch = await Promise.all(
          Array.from({ length: 6 }, (_, j) => t.api.post('/api/expenses', { description: `E${i + j}`, amount: 1 + i + j, category: 'food' }, token)),
        );
        for (const r of batch) expect(r.status).toBe(201);
        ids.push(...batch.map((r) => r.body._id as string));
      }
    })().finally(() => (writing = false));
    const seen: { seq: number; id: string }[] = [];
    let after = 0;
    let pagesWhileWriting = 0;
    for (let reads = 0; reads < 1000; reads++) {
      const stillWriting = writing;
      const res = await page(token, `?after=${after}&limit=7`);
      expect(res.status).toBe(200);
      if (stillWriting && res.body.events.length > 0) pagesWhileWriting++;
      seen.push(...res.body.events.map((e: { seq: number; data: { _id: string } }) => ({ seq: e.seq, id: e.data._id })));
      after = res.body.next;
      if (!stillWriting && !res.body.hasMore) break;
      // A client's round trip: the embedded database answers reads at once, and a loop of
      // microtasks alone would starve the group commit of the writes (it waits for a macrotask).
      await new Promise((r) => setImmediate(r));
    }
    await writer;
    expect(pagesWhileWriting).toBeGreaterThan(1);
    expect(seen.map((s) => s.seq)).toEqual(Array.from({ length: writes }, (_, i) => i + 1));
    expect(new Set(seen.map((s) => s.id))).toEqual(new Set(ids));
  });

  it('forgets events older than 30 days in its retention job, keeps counting after them, and says when a cursor was overtaken', async () => {
    const { token } = await t.api.register();
    await t.api.post('/api/expenses', { description: 'Old 1', amount: 1, category: 'food' }, token);
    await t.api.post('/api/expenses', { description: 'Old 2', amount: 1, category: 'food' }, token);
    now = new Date(now.getTime() + 31 * 86_400_000);
    await t.api.post('/api/expenses', { description: 'New', amount: 2, category: 'food' }, token);
    expect(await t.platform.jobs.run('events.retention', 'manual')).toMatchObject({ outcome: 'ok' });
    const events = (await page(token)).body.events;
    expect(events.map((e: { seq: number; data: { description: string } }) => [e.seq, e.data.description])).toEqual([[3, 'New']]);
    // A client that had read seq 1 missed seq 2: told so, not skipped past it.
    const overtaken = await page(token, '?after=1');
    expect(overtaken).toMatchObject({ status: 410, body: { code: 'CURSOR_EXPIRED' } });
    expect((await page(token, '?after=2')).body.events.map((e: { seq: number }) => e.seq)).toEqual([3]);
    expect((await page(token, '?after=3')).body.events).toEqual([]);
  });
});
