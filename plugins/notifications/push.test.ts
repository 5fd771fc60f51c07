import { createECDH } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startPushServer } from '../../tests/support/push-server.ts';
import { createTestApp } from '../../tests/support/app.ts';
import { budgetExceeded } from '../../tests/support/domain-events.ts';
import { checkEndpoint, MAX_PUSH_SUBSCRIPTIONS } from './push.ts';
import { loadConfig } from '../../core/config.ts';
import { pushOutbox, pushSubscriptions } from './tables.ts';

// The server's VAPID pair, made here with node:crypto (the app only reads it from the configuration).
const vapid = createECDH('prime256v1');
vapid.generateKeys();
const VAPID_PUBLIC_KEY = vapid.getPublicKey().toString('base64url');
const VAPID_PRIVATE_KEY = vapid.getPrivateKey().toString('base64url');

const push = await startPushServer();
afterAll(() => push.close());

let now = Date.now();
const clock = { now: () => new Date(now) };
const { api, platform } = await createTestApp({ clock, env: { VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT: 'mailto:ops@expenseflow.test' } });
const send = () => platform.jobs.run('notifications.push', 'manual');

const alert = (userId: string, name = 'Food') => budgetExceeded(userId, { name, currency: 'EUR' });

async function subscribed() {
  const user = await api.register(undefined, 'Ann');
  const sub = push.subscription();
  const res = await api.post('/api/notifications/push/subscribe', sub, user.token);
  expect(res.status).toBe(200);
  return { user, sub };
}

beforeEach(async () => {
  await platform.db.delete(pushOutbox);
});

describe('Web Push', () => {
  it('hands out the VAPID public key', async () => {
    const user = await api.register();
    const res = await api.get('/api/notifications/push/vapid-key', user.token);
    expect(res).toMatchObject({ status: 200, body: { publicKey: VAPID_PUBLIC_KEY } });
    expect((await api.get('/api/notifications/push/vapid-key')).status).toBe(401);
  });

  it('sends a notification of a type the user takes by push, encrypted for the browser and signed with the VAPID key', async () => {
    const { user, sub } = await subscribed();
    const prefs = await api.get('/api/notifications/preferences', user.token);
    expect(prefs.body.channels.push).toMatchObject({ enabled: true, types: expect.arrayContaining(['budget_alert']) });

    await platform.events.emit('budget.threshold_crossed', alert(user.id, '<Food & "Drinks">'));
    expect(await send()).toMatchObject({ outcome: 'ok', items: 1 });
    const [got] = push.to(sub.endpoint);
    expect(got!.error).toBeUndefined();
    const payload = JSON.parse(got!.payload!);
    const [notification] = (await api.get('/api/notifications', user.token)).body;
    expect(payload).toEqual({
      notificationId: notification._id,
      type: 'budget_alert',
      title: 'Budget exceeded: <Food & "Drinks">',
      body: notification.message,
      data: notification.data,
      createdAt: notification.createdAt,
    });
    expect(got!.headers).toMatchObject({ 'content-encoding': 'aes128gcm', 'content-type': 'application/octet-stream', ttl: '86400', urgency: 'normal' });
    expect(got!.vapid).toMatchObject({ valid: true, key: VAPID_PUBLIC_KEY, claims: { aud: push.origin, sub: 'mailto:ops@expenseflow.test' } });
    // Sent once: the next tick finds nothing.
    expect(await send()).toMatchObject({ items: 0 });
    expect(push.to(sub.endpoint)).toHaveLength(1);
  });

  it('sends to every browser of the user, and only the types the user chose', async () => {
    const { user, sub } = await subscribed();
    const second = push.subscription();
    await api.post('/api/notifications/push/subscribe', second, user.token);
    const off = await api.post('/api/notifications/preferences', { channels: { push: { types: ['goal_achieved'] } } }, user.token);
    expect(off.body.channels.push.types).toEqual(['goal_achieved']);
    await platform.events.emit('budget.threshold_crossed', alert(user.id));
    await platform.events.emit('goal.achieved', { userId: user.id, goalId: 'g1', title: 'Bike', currentAmount: 500, targetAmount: 500, currency: 'EUR' });
    await send();
    for (const endpoint of [sub.endpoint, second.endpoint]) {
      expect(push.to(endpoint).map((r) => JSON.parse(r.payload!).type)).toEqual(['goal_achieved']);
    }
  });

  it('cancels what was queued when the user turned push off before it went out', async () => {
    const { user, sub } = await subscribed();
    await platform.events.emit('budget.threshold_crossed', alert(user.id));
    expect((await api.post('/api/notifications/preferences', { channels: { push: { enabled: false } } }, user.token)).status).toBe(200);
    expect(await send()).toMatchObject({ items: 0 });
    expect(push.to(sub.endpoint)).toEqual([]);
    expect((await platform.db.select().from(pushOutbox).where(eq(pushOutbox.userId, user.id))).map((r) => r.status)).toEqual(['cancelled']);
  });

  it('removes a subscription the push service no longer knows (410, 404), with what was queued for it', async () => {
    const { user, sub } = await subscribed();
    const other = push.subscription();
    await api.post('/api/notifications/push/subscribe', other, user.token);
    push.next(sub.endpoint, 410);
    push.next(other.endpoint, 404);
    await platform.events.emit('budget.threshold_crossed', alert(user.id));
    await send();
    expect(await platform.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, user.id))).toEqual([]);
    expect(await platform.db.select().from(pushOutbox).where(eq(pushOutbox.userId, user.id))).toEqual([]);
    await platform.events.emit('budget.threshold_crossed', alert(user.id));
    await send();
    expect(push.to(sub.endpoint)).toHaveLength(1);
    expect(push.to(other.endpoint)).toHaveLength(1);
  });

  it('tries again after a 500 and a 429 (waiting its Retry-After), then delivers once', async () => {
    const { user, sub } = await subscribed();
    push.next(sub.endpoint, 500, { status: 429, headers: { 'retry-after': '600' } });
    await platform.events.emit('budget.threshold_crossed', alert(user.id));
    expect(await send()).toMatchObject({ items: 0 });
    const [row] = await platform.db.select().from(pushOutbox).where(eq(pushOutbox.userId, user.id));
    expect(row).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: now + 60_000, lastError: expect.stringContaining('500') });
    now += 60_000;
    await send();
    const [again] = await platform.db.select().from(pushOutbox).where(eq(pushOutbox.userId, user.id));
    expect(again).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: now + 600_000, lastError: expect.stringContaining('429') });
    now += 120_000;
    await send(); // its own backoff (2 min) is over, the service's 10 minutes are not
    expect(push.to(sub.endpoint)).toHaveLength(2);
    now += 480_000;
    expect(await send()).toMatchObject({ items: 1 });
    const [done] = await platform.db.select().from(pushOutbox).where(eq(pushOutbox.userId, user.id));
    expect(done).toMatchObject({ status: 'sent', attempts: 3 });
    expect(push.to(sub.endpoint).map((r) => r.status)).toEqual([500, 429, 201]);
  });

  it('forgets a subscription once its expirationTime has passed (the retention job), keeps one without', async () => {
    const user = await api.register();
    const expiring = { ...push.subscription(), expirationTime: now + 60_000 };
    const lasting = push.subscription();
    for (const sub of [expiring, lasting]) expect((await api.post('/api/notifications/push/subscribe', sub, user.token)).status).toBe(200);
    const endpoints = async () => (await platform.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, user.id))).map((s) => s.endpoint).sort();
    await platform.jobs.run('retention', 'manual');
    expect(await endpoints()).toEqual([expiring.endpoint, lasting.endpoint].sort());
    now += 120_000;
    await platform.jobs.run('retention', 'manual');
    expect(await endpoints()).toEqual([lasting.endpoint]);
  });

  it('keeps at most 10 subscriptions per user (the oldest goes); unsubscribe forgets one, another user’s stays', async () => {
    const { user, sub: first } = await subscribed();
    for (let i = 0; i < MAX_PUSH_SUBSCRIPTIONS; i++) {
      now += 1000;
      await api.post('/api/notifications/push/subscribe', push.subscription(), user.token);
    }
    const rows = await platform.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, user.id));
    expect(rows).toHaveLength(MAX_PUSH_SUBSCRIPTIONS);
    expect(rows.map((r) => r.endpoint)).not.toContain(first.endpoint);

    const bob = await subscribed();
    const res = await api.post('/api/notifications/push/unsubscribe', { endpoint: bob.sub.endpoint }, user.token);
    expect(res).toMatchObject({ status: 200, body: { success: true, removed: false } });
    expect(await platform.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, bob.sub.endpoint))).toHaveLength(1);
    const mine = await api.post('/api/notifications/push/unsubscribe', { endpoint: bob.sub.endpoint }, bob.user.token);
    expect(mine.body).toMatchObject({ removed: true });
    await platform.events.emit('budget.threshold_crossed', alert(bob.user.id));
    await send();
    expect(push.to(bob.sub.endpoint)).toHaveLength(0);
  });

  it('refuses a subscription that is malformed or points somewhere it may not', async () => {
    const user = await api.register();
    const good = push.subscription();
    for (const [what, body] of [
      ['http to another host', { ...good, endpoint: 'http://push.example.com/x' }],
      ['not a URL', { ...good, endpoint: 'push' }],
      ['an ftp URL', { ...good, endpoint: 'ftp://push.example.com/x' }],
      ['a short key', { ...good, keys: { ...good.keys, p256dh: 'AAAA' } }],
      ['no keys', { endpoint: good.endpoint }],
      ['a key that is no base64url', { ...good, keys: { ...good.keys, auth: 'a+b/c' } }],
    ] as const) {
      const res = await api.post('/api/notifications/push/subscribe', body, user.token);
      expect(res.status, what).toBe(400);
      expect(res.body.code, what).toBe('VALIDATION_FAILED');
    }
    expect((await api.post('/api/notifications/push/unsubscribe', { endpoint: 'nope' }, user.token)).status).toBe(400);
  });

  it('in production takes https to public hosts only', () => {
    const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    expect(() => checkEndpoint(production, 'https://fcm.googleapis.com/fcm/send/abc', 'endpoint')).not.toThrow();
    for (const bad of ['http://127.0.0.1:8080/push', 'https://127.0.0.1/push', 'https://localhost/push', 'https://10.1.2.3/push', 'https://192.168.0.1/x', 'https://[::1]/x']) {
      expect(() => checkEndpoint(production, bad, 'endpoint'), bad).toThrow();
    }
  });
});

describe('Web Push without VAPID configuration', async () => {
  const bare = await createTestApp();
  it('answers 404 PUSH_NOT_CONFIGURED and queues nothing', async () => {
    const user = await bare.api.register();
    const key = await bare.api.get('/api/notifications/push/vapid-key', user.token);
    expect(key).toMatchObject({ status: 404, body: { code: 'PUSH_NOT_CONFIGURED' } });
    const sub = await bare.api.post('/api/notifications/push/subscribe', push.subscription(), user.token);
    expect(sub).toMatchObject({ status: 404, body: { code: 'PUSH_NOT_CONFIGURED' } });
    // Push turned on through the seed's preferences still sends nothing: there is no key to send with.
    const on = await bare.api.post('/api/notifications/preferences', { channels: { push: { enabled: true, subscription: push.subscription() } } }, user.token);
    expect(on.status).toBe(200);
    await bare.platform.events.emit('budget.threshold_crossed', alert(user.id));
    expect(await bare.platform.db.select().from(pushOutbox)).toEqual([]);
    expect(await bare.platform.jobs.run('notifications.push', 'manual')).toMatchObject({ outcome: 'ok', items: 0 });
  });
});
