import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { changeLog } from '../core/changes/tables.ts';
import { loadConfig } from '../core/config.ts';
import { jobRuns } from '../core/jobs/tables.ts';
import { securityEvents } from '../core/security/tables.ts';
import { createLogger } from '../core/logger.ts';
import { emailOutbox, notifications } from '../plugins/notifications/tables.ts';
import { LiveRoom } from '../plugins/sync/live-room.ts';
import type { ServerMessage } from '../plugins/sync/schemas.ts';
import { createTestApp } from './support/app.ts';

const DAY = 86_400_000;

// The daily retention job over the rules core and the notifications plugin register, and what
// sync answers a device whose last seq is older than the change log kept.
describe('retention', async () => {
  let now = Date.parse('2026-01-05T12:00:00Z');
  const clock = { now: () => new Date(now) };
  const { api, platform } = await createTestApp({ clock, env: { WEBHOOKS_ALLOW_PRIVATE: 'true' } });
  const retention = () => platform.jobs.run('retention', 'manual');

  it('deletes old job runs, sent emails and change-log rows, in batches; keeps what waits and what devices need', async () => {
    const user = await api.register();
    for (const amount of [1, 2, 3]) expect((await api.post('/api/expenses', { description: 'old', amount, category: 'food' }, user.token)).status).toBe(201);
    await platform.jobs.run('notifications.email', 'manual'); // the welcome email: logged (no Postmark here)
    await platform.events.emit('budget.threshold_crossed', {
      userId: user.id, budgetId: 'b', name: 'Food', level: 'exceeded', threshold: 80, percentageUsed: 120, spent: 6, amount: 5, currency: 'USD', periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-02-01T00:00:00.000Z',
    });
    // The alert's email waits (its job has not run since): old, but never deleted while it waits.
    now += 100 * DAY;
    expect((await api.post('/api/expenses', { description: 'new', amount: 4, category: 'food' }, user.token)).status).toBe(201);

    const result = await retention();
    // A job run, a sent email, three changes and their three feed events, the sign-up's sign-in event.
    expect(result).toMatchObject({ outcome: 'ok', items: 9 });
    expect((await platform.db.select().from(jobRuns).orderBy(asc(jobRuns.id))).map((r) => r.job)).toEqual(['retention']);
    expect((await platform.db.select().from(emailOutbox).where(eq(emailOutbox.userId, user.id))).map((r) => [r.type, r.status])).toEqual([['budget_alert', 'pending']]);
    expect((await platform.db.select().from(changeLog).where(eq(changeLog.userId, user.id))).map((r) => r.seq)).toEqual([4]);

    // A device that holds seq 3 carries on; one that holds less is told to reload everything.
    expect((await api.get('/api/sync/pull?since=3', user.token)).body).toMatchObject({ changes: [{ seq: 4 }], nextSeq: 4, hasMore: false });
    expect((await api.get('/api/sync/pull?since=3', user.token)).body.resync).toBeUndefined();
    expect((await api.get('/api/sync/pull?since=0', user.token)).body).toEqual({ changes: [], nextSeq: 4, hasMore: false, resync: true });
    expect((await api.get('/api/sync/pull?since=2', user.token)).body).toMatchObject({ nextSeq: 4, resync: true });
    expect((await api.get('/api/sync/pull?since=4', user.token)).body).toEqual({ changes: [], nextSeq: 4, hasMore: false });

    // The same over a realtime room: sync_data says resync, then live changes follow from there.
    const room = new LiveRoom(user.id, platform.changes, createLogger('silent'));
    const got: ServerMessage[] = [];
    const member = { deviceId: 'old-phone', send: (m: ServerMessage) => void got.push(m) };
    await room.join(member, 1);
    expect(got).toEqual([{ type: 'sync_data', changes: [], nextSeq: 4, hasMore: false, resync: true }]);
    expect((await api.post('/api/expenses', { description: 'live', amount: 5, category: 'food' }, user.token)).status).toBe(201);
    await room.notify();
    expect(got.slice(1)).toMatchObject([{ type: 'expense_created', change: { seq: 5 } }]);

    // Once everything is old, the log is empty, and a device that holds the last seq needs nothing.
    now += 100 * DAY;
    await retention();
    expect(await platform.db.select().from(changeLog).where(eq(changeLog.userId, user.id))).toEqual([]);
    expect((await api.get('/api/sync/pull?since=5', user.token)).body).toEqual({ changes: [], nextSeq: 5, hasMore: false });
    expect((await api.get('/api/sync/pull?since=1', user.token)).body).toMatchObject({ nextSeq: 5, resync: true });
  });

  it('applies a registered rule in batches of its size until nothing old is left', async () => {
    const user = await api.register();
    platform.retention.add({ name: 'test.notifications', table: notifications, timeColumn: notifications.createdAt, days: () => 7, batchSize: 2 });
    for (let i = 0; i < 5; i++) await platform.events.emit('goal.achieved', { userId: user.id, goalId: `g${i}`, title: 'Bike', currentAmount: 1, targetAmount: 1, currency: 'USD' });
    now += 8 * DAY;
    await platform.events.emit('goal.achieved', { userId: user.id, goalId: 'recent', title: 'Car', currentAmount: 1, targetAmount: 1, currency: 'USD' });
    await retention();
    const left = await platform.db.select().from(notifications).where(and(eq(notifications.userId, user.id)));
    expect(left.map((n) => n.data.goalId)).toEqual(['recent']);
  });

  it('deletes security events older than RETENTION_SECURITY_EVENTS_DAYS, and the security page no longer shows them', async () => {
    const user = await api.register();
    const login = (password: string) => api.post('/api/auth/login', { email: user.email, password });
    expect((await login('wrong-password')).status).toBe(401);
    now += 91 * DAY;
    expect((await login('another-wrong-one')).status).toBe(401);
    const before = (await platform.db.select().from(securityEvents).where(eq(securityEvents.userId, user.id))).length;
    await retention();
    const left = await platform.db.select().from(securityEvents).where(eq(securityEvents.userId, user.id));
    expect(left.length).toBeLessThan(before);
    expect(left.every((e) => Date.parse(e.at) > now - 90 * DAY)).toBe(true);
    const page = await api.get('/api/auth/security', user.token);
    expect(page.status).toBe(200);
    expect(page.body.failures).toHaveLength(1);
  });

  it("deletes a webhook's finished deliveries older than RETENTION_OUTBOX_DAYS", async () => {
    const user = await api.register();
    // A receiver on a closed loopback port: the ping fails at once, and is logged.
    const hook = await api.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook', eventTypes: ['expense.created'] }, user.token);
    expect(hook.status).toBe(201);
    expect((await api.post(`/api/webhooks/${hook.body._id}/ping`, {}, user.token)).status).toBe(201);
    now += 31 * DAY;
    expect((await api.post(`/api/webhooks/${hook.body._id}/ping`, {}, user.token)).status).toBe(201);
    expect((await api.get(`/api/webhooks/${hook.body._id}/deliveries`, user.token)).body.deliveries).toHaveLength(2);
    await retention();
    const left = (await api.get(`/api/webhooks/${hook.body._id}/deliveries`, user.token)).body.deliveries;
    expect(left).toHaveLength(1);
    expect(Date.parse(left[0].createdAt)).toBeGreaterThan(now - DAY);
  });

  it('keeps the change log at least 31 days: a replayed offline delta reads its answer from it', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(32), RETENTION_CHANGE_LOG_DAYS: '30' })).toThrow(/RETENTION_CHANGE_LOG_DAYS/);
    expect(loadConfig({ JWT_SECRET: 'x'.repeat(32) })).toMatchObject({ RETENTION_CHANGE_LOG_DAYS: 90, RETENTION_JOB_RUNS_DAYS: 30, RETENTION_OUTBOX_DAYS: 30 });
  });
});
