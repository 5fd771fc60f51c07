/**
 * Web Push on the edge host: a goal reached through the Worker's API queues a push message;
 * the Worker's own scheduled() on the delivery cron encrypts it with workerd's WebCrypto and
 * posts it to the push service stand-in of the global setup, which decrypts it with its own
 * node:crypto code and checks the VAPID token. Two overlapping ticks send it once; a 410 removes
 * the subscription. (The Worker runs with NODE_ENV=production, which takes no loopback endpoint
 * through the API: the subscriptions are written to the database directly.)
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { createRemoteDatabase } from '../../core/db/remote.ts';
import worker, { type Env } from '../../hosts/worker.ts';
import { pushSubscriptions } from '../../plugins/notifications/tables.ts';

import type { ReceivedPush } from '../support/push-server.ts';
import { WORKERD_VAPID } from './push-keys.ts';
import { workerApi } from './worker-api.ts';

const api = workerApi();
const { db } = createRemoteDatabase((env as unknown as Env).DATABASE_URL);
const pushUrl = inject('pushUrl');

async function tick() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env as unknown as Env, ctx);
  await waitOnExecutionContext(ctx);
}

async function browser(userId: string) {
  const sub = (await (await fetch(`${pushUrl}/control/subscriptions`, { method: 'POST' })).json()) as { endpoint: string; keys: { p256dh: string; auth: string } };
  await db.insert(pushSubscriptions).values({ id: crypto.randomUUID(), userId, endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth, createdAt: new Date().toISOString() });
  return sub;
}
const received = async (endpoint: string) => (await (await fetch(`${pushUrl}/control/received?endpoint=${encodeURIComponent(endpoint)}`)).json()) as ReceivedPush[];

describe('Web Push on workerd', () => {
  it('sends each notification once from scheduled(), encrypted per RFC 8291 and signed with the VAPID key; a 410 removes the subscription', async () => {
    const user = await api.register(`push-${crypto.randomUUID()}@example.com`, 'Pia');
    const kept = await browser(user.id);
    const gone = await browser(user.id);
    await fetch(`${pushUrl}/control/answers`, { method: 'POST', body: JSON.stringify({ endpoint: gone.endpoint, statuses: [410, 410, 410, 410] }) });
    expect((await api.post('/api/notifications/preferences', { channels: { push: { enabled: true } } }, user.token)).status).toBe(200);

    const goal = await api.post('/api/goals', { title: 'Bike', targetAmount: 300 }, user.token);
    expect(goal.status).toBe(201);
    expect((await api.patch(`/api/goals/${goal.body._id}/contribute`, { amount: 300 }, user.token)).status).toBe(200);

    await Promise.all([tick(), tick()]);
    await tick();
    // The other files of this project tick the same cron on the same database; a tick that finds
    // the job leased by theirs skips it, as designed. A few more, until the 410 has been answered.
    const subscriptions = () => db.select({ endpoint: pushSubscriptions.endpoint }).from(pushSubscriptions).where(eq(pushSubscriptions.userId, user.id));
    for (let i = 0; i < 10 && ((await subscriptions()).length > 1 || (await received(kept.endpoint)).length < 4); i++) await tick();

    // Reaching the target at once passes 25, 50 and 75% too: four notifications, each pushed once.
    const got = await received(kept.endpoint);
    const payloads = got.map((r) => JSON.parse(r.payload!));
    expect(got.every((r) => r.error === undefined && r.status === 201)).toBe(true);
    expect(payloads.map((p) => p.type).sort()).toEqual(['goal_achieved', 'goal_milestone', 'goal_milestone', 'goal_milestone']);
    expect(new Set(payloads.map((p) => p.notificationId)).size).toBe(4);
    expect(payloads.find((p) => p.type === 'goal_achieved')).toMatchObject({ title: 'Goal achieved: Bike', data: { goalId: goal.body._id } });
    for (const r of got) {
      expect(r.vapid).toMatchObject({ valid: true, key: WORKERD_VAPID.VAPID_PUBLIC_KEY });
      expect(r.headers).toMatchObject({ 'content-encoding': 'aes128gcm', ttl: '86400' });
    }

    expect((await received(gone.endpoint)).map((r) => r.status)).toContain(410);
    expect(await subscriptions()).toEqual([{ endpoint: kept.endpoint }]);
  });
});
