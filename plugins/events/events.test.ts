import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvents } from '../../core/events.ts';
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
    expect(await t.platform.jobs.run('retention', 'manual')).toMatchObject({ outcome: 'ok' });
    const events = (await page(token)).body.events;
    expect(events.map((e: { seq: number; data: { description: string } }) => [e.seq, e.data.description])).toEqual([[3, 'New']]);
    // A client that had read seq 1 missed seq 2: told so, not skipped past it.
    const overtaken = await page(token, '?after=1');
    expect(overtaken).toMatchObject({ status: 410, body: { code: 'CURSOR_EXPIRED' } });
    expect((await page(token, '?after=2')).body.events.map((e: { seq: number }) => e.seq)).toEqual([3]);
    expect((await page(token, '?after=3')).body.events).toEqual([]);
  });
});

/**
 * The events a plugin stores with the write of its fact (a crossing, a milestone, a reading, an
 * occurrence, a reminder): each lands in the feed exactly once with that fact, however many
 * writers race or a job runs again, and says what the event bus says, less the recipient's id.
 */
describe('GET /api/events: events stored with their fact', async () => {
  const SECRET = 'test-ocr-worker-secret-at-least-32-chars';
  let now = new Date('2026-01-10T12:00:00.000Z');
  // No OCR here: a receipt waits for the OCR worker's reading (the internal routes).
  const t = await createTestApp({ ocr: null, clock: { now: () => now }, env: { OCR_WORKER_SECRET: SECRET } });
  type Stored = keyof Pick<
    DomainEvents,
    'budget.threshold_crossed' | 'goal.milestone_reached' | 'goal.achieved' | 'receipt.processed' | 'recurring.expense_created' | 'split.reminder'
  >;
  const emitted: { type: Stored; userId: string; data: Record<string, unknown> }[] = [];
  for (const type of ['budget.threshold_crossed', 'goal.milestone_reached', 'goal.achieved', 'receipt.processed', 'recurring.expense_created', 'split.reminder'] as const) {
    t.platform.events.on(type, ({ userId, ...data }) => void emitted.push({ type, userId, data }));
  }
  const feed = async (token: string, type: Stored) => {
    const res = await t.api.get(`/api/events?types=${type}`, token);
    expect(res.status).toBe(200);
    return res.body.events.map((e: { data: Record<string, unknown> }) => e.data) as Record<string, unknown>[];
  };
  const told = (userId: string, type: Stored) => emitted.filter((e) => e.userId === userId && e.type === type).map((e) => e.data);

  it('stores each budget crossing once, with the crossing, however many writes and rechecks race for it', async () => {
    const { id, token } = await t.api.register();
    const budget = await t.api.post('/api/budgets', { name: 'Food', amount: 100, period: 'monthly', category: 'food', alertThreshold: 80 }, token);
    expect(budget.status).toBe(201);
    const spend = (amount: number) => t.api.post('/api/expenses', { description: 'Groceries', amount, category: 'food' }, token);
    const recheck = () => t.platform.jobs.run('budgets.recheck', 'manual');
    expect((await spend(70)).status).toBe(201);
    await Promise.all([spend(15), recheck(), recheck(), t.api.get('/api/budgets', token)]);
    await recheck();
    await Promise.all([spend(20), recheck(), recheck()]);
    await recheck();

    const stored = await feed(token, 'budget.threshold_crossed');
    expect(stored.map((e) => [e.budgetId, e.level, e.spent])).toEqual([
      [budget.body._id, 'warning', 85],
      [budget.body._id, 'exceeded', 105],
    ]);
    expect(stored[0]).toMatchObject({ name: 'Food', threshold: 80, amount: 100, currency: 'USD', percentageUsed: 85 });
    expect(stored[0]!.userId).toBeUndefined();
    expect(stored).toEqual(told(id, 'budget.threshold_crossed'));
  });

  it('stores each goal level once, lowest first, with the amounts the write left (a contribution’s sum too)', async () => {
    const { id, token } = await t.api.register();
    const goal = await t.api.post('/api/goals', { title: 'Bike', targetAmount: 100 }, token);
    const goalId = goal.body._id as string;
    const contribute = (amount: number) => t.api.patch(`/api/goals/${goalId}/contribute`, { amount }, token);
    expect((await contribute(25.55)).status).toBe(200);
    // Racing contributions: each level is reached by one of them only.
    const raced = await Promise.all([contribute(10), contribute(10), contribute(10)]);
    for (const r of raced) expect(r.status).toBe(200);
    expect((await t.api.put(`/api/goals/${goalId}`, { currentAmount: 100.5 }, token)).status).toBe(200);
    expect((await contribute(-60)).status).toBe(200);
    expect((await contribute(60)).status).toBe(200); // every level reached already: nothing new

    const milestones = await feed(token, 'goal.milestone_reached');
    expect(milestones.map((e) => e.milestone)).toEqual([25, 50, 75]);
    expect(milestones[0]).toEqual({ goalId, title: 'Bike', currentAmount: 25.55, targetAmount: 100, currency: 'USD', milestone: 25 });
    expect(milestones[1]).toEqual({ goalId, title: 'Bike', currentAmount: 55.55, targetAmount: 100, currency: 'USD', milestone: 50 });
    expect(milestones[2]).toEqual({ goalId, title: 'Bike', currentAmount: 100.5, targetAmount: 100, currency: 'USD', milestone: 75 });
    expect(await feed(token, 'goal.achieved')).toEqual([{ goalId, title: 'Bike', currentAmount: 100.5, targetAmount: 100, currency: 'USD' }]);
    expect(milestones).toEqual(told(id, 'goal.milestone_reached'));
    expect(await feed(token, 'goal.achieved')).toEqual(told(id, 'goal.achieved'));
    // In order: the 75% level before the goal achieved, both after the 50% one.
    const all = (await t.api.get('/api/events?types=goal.milestone_reached,goal.achieved', token)).body.events.map((e: { type: string }) => e.type);
    expect(all).toEqual(['goal.milestone_reached', 'goal.milestone_reached', 'goal.milestone_reached', 'goal.achieved']);
  });

  it('stores a goal level in a currency without cents, as its amounts read', async () => {
    const { token } = await t.api.register();
    const goal = await t.api.post('/api/goals', { title: 'Trip', targetAmount: 100000, currency: 'JPY' }, token);
    expect((await t.api.patch(`/api/goals/${goal.body._id}/contribute`, { amount: 100001 }, token)).status).toBe(200);
    expect(await feed(token, 'goal.achieved')).toEqual([{ goalId: goal.body._id, title: 'Trip', currentAmount: 100001, targetAmount: 100000, currency: 'JPY' }]);
    expect((await feed(token, 'goal.milestone_reached')).map((e) => e.milestone)).toEqual([25, 50, 75]);
  });

  it('stores a receipt’s reading once, as the receipt then reads, also when the reading is posted twice', async () => {
    const { id, token } = await t.api.register();
    const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'receipts', 'taxi-chf.png')));
    const body = new FormData();
    body.set('receipt', new File([bytes as Uint8Array<ArrayBuffer>], 'taxi.png', { type: 'image/png' }));
    const upload = await t.app.request('/api/receipts', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    const receiptId = ((await upload.json()) as { _id: string })._id;
    const worker = { 'x-ocr-worker-secret': SECRET };
    expect((await t.api.call('POST', '/api/receipts/internal/claim', { body: { limit: 5 }, headers: worker })).status).toBe(200);
    const lines = ['ZUERI TAXI AG', '05.10.2024 23:10', 'TOTAL CHF   36.40'].map((text) => ({ text, confidence: 0.9 }));
    const post = () => t.api.call('POST', `/api/receipts/internal/${receiptId}/reading`, { body: { reading: { lines, confidence: 0.9, source: 'ocr' } }, headers: worker });
    const posted = await Promise.all([post(), post()]);
    expect(posted.map((r) => r.status).sort()).toEqual([200, 404]);
    expect((await post()).status).toBe(404);

    const read = await t.api.get(`/api/receipts/${receiptId}`, token);
    expect(read.body.ocrData).toMatchObject({ status: 'done', extractedAmount: 36.4, currency: 'CHF' });
    expect(await feed(token, 'receipt.processed')).toEqual([{ receipt: read.body }]);
    expect(told(id, 'receipt.processed')).toEqual([{ receipt: read.body }]);
  });

  it('stores each recurring occurrence once with the expense it made, however often the job runs', async () => {
    const { id, token } = await t.api.register();
    const schedule = await t.api.post('/api/recurring', { description: 'Rent', amount: 950.25, category: 'utilities', frequency: 'daily', startDate: '2026-01-09' }, token);
    expect(schedule.status).toBe(201);
    const run = () => t.platform.jobs.run('recurring.create', 'cron');
    await Promise.all([run(), run()]);
    await run();

    const expenses = (await t.api.get('/api/expenses?limit=10', token)).body as { _id: string; date: string }[];
    const byDay = new Map(expenses.map((e) => [e.date.slice(0, 10), e._id]));
    expect(byDay.size).toBe(2);
    const stored = await feed(token, 'recurring.expense_created');
    expect(stored).toEqual(
      ['2026-01-09', '2026-01-10'].map((date) => ({ recurringId: schedule.body._id, expenseId: byDay.get(date), description: 'Rent', amount: 950.25, currency: 'USD', date })),
    );
    expect(stored).toEqual(told(id, 'recurring.expense_created'));
  });

  it('stores a split reminder once per reminder sent, to the participant, racing reminders included', async () => {
    const alice = await t.api.register(undefined, 'Alice');
    const bob = await t.api.register(undefined, 'Bob');
    const group = await t.api.post('/api/groups', { name: 'Flat' }, alice.token);
    const groupId = group.body.data._id as string;
    expect((await t.api.post(`/api/groups/${groupId}/members`, { email: bob.email }, alice.token)).status).toBeLessThan(300);
    const expense = await t.api.post('/api/expenses', { description: 'Internet', amount: 50, category: 'utilities' }, alice.token);
    const split = await t.api.post('/api/splits', { expenseId: expense.body._id, groupId, splitMethod: 'equal' }, alice.token);
    const splitId = split.body.data._id as string;
    const remind = () => t.api.post(`/api/splits/${splitId}/remind/${bob.id}`, undefined, alice.token);
    expect((await Promise.all([remind(), remind(), remind()])).map((r) => r.status).sort()).toEqual([200, 429, 429]);
    const reminder = { splitId, groupId, groupName: 'Flat', fromUserId: alice.id, fromName: 'Alice', description: 'Internet', amount: 25, currency: 'USD' };
    expect(await feed(bob.token, 'split.reminder')).toEqual([reminder]);
    try {
      now = new Date(now.getTime() + 25 * 3_600_000);
      expect((await remind()).status).toBe(200);
      expect((await remind()).status).toBe(429);
    } finally {
      now = new Date('2026-01-10T12:00:00.000Z');
    }
    expect(await feed(bob.token, 'split.reminder')).toEqual([reminder, reminder]);
    expect(await feed(bob.token, 'split.reminder')).toEqual(told(bob.id, 'split.reminder'));
    expect(await feed(alice.token, 'split.reminder')).toEqual([]);
  });
});
