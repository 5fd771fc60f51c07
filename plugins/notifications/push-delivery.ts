import { and, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { JobDefinition } from '../../core/jobs.ts';
import type { Platform } from '../../core/platform.ts';
import type { PushOutcome } from '../../core/push/interface.ts';
import { MAX_PUSH_PAYLOAD } from '../../core/push/interface.ts';
import type { NotificationData, NotificationType } from './tables.ts';
import { DEFAULT_PREFERENCES, preferencesOf, pushWanted } from './preferences.ts';
import { notificationPreferences, pushOutbox, pushSubscriptions } from './tables.ts';
import { backoffMs, MAX_ATTEMPTS } from './email-delivery.ts';

/** Messages claimed per round; sent a few at once (each is its own request to a push service). */
export const PUSH_BATCH = 100;
const MAX_ROUNDS = 50;
const PARALLEL = 8;
/** A message claimed this long ago belongs to a run that died: due again (a push may repeat, never vanish). */
export const PUSH_RECLAIM_AFTER_MS = 5 * 60_000;
/** How long a push service keeps a message for a device that is offline. */
const TTL_S = 24 * 3600;
const MAX_ERROR = 500;

interface Stored {
  id: string;
  type: NotificationType;
  title: string;
  message: string;
  data: NotificationData;
  createdAt: string;
}

const utf8 = new TextEncoder();
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '')}…`);

/**
 * What the service worker receives: the notification as the API shows it, short enough for
 * one encrypted record (MAX_PUSH_PAYLOAD bytes); the data goes first when it does not fit.
 */
export function pushPayload(n: Stored): string {
  const shaped = (message: string, data: NotificationData | null) =>
    JSON.stringify({ notificationId: n.id, type: n.type, title: clip(n.title, 200), body: message, data, createdAt: n.createdAt });
  for (const [max, data] of [[2000, n.data], [1000, n.data], [1000, null], [300, null]] as const) {
    const text = shaped(clip(n.message, max), data);
    if (utf8.encode(text).length <= MAX_PUSH_PAYLOAD) return text;
  }
  return shaped('', null);
}

/**
 * Every minute: hands the push outbox to the push services. A push service's 404 or 410
 * removes the subscription (and its queued messages); 429, 5xx or no answer is tried again with
 * the email's backoff (or the service's Retry-After, when longer), up to 8 times; any other
 * refusal is final; one the user turned off since it was queued is `cancelled`. Without VAPID configuration nothing is queued and the job does nothing.
 */
export const deliverPush: JobDefinition = {
  name: 'notifications.push',
  cron: '* * * * *',
  leaseMs: 2 * 60_000,
  async run({ platform, signal }) {
    if (!platform.push) return 0;
    await reclaim(platform);
    let sent = 0;
    for (let i = 0; i < MAX_ROUNDS && !signal.aborted; i++) {
      const round = await sendRound(platform);
      sent += round.sent;
      if (!round.more) break;
    }
    return sent;
  },
};

async function reclaim(platform: Platform) {
  const now = platform.clock.now().getTime();
  await platform.db
    .update(pushOutbox)
    .set({ status: 'pending', nextAttemptAt: now, lastError: 'its run stopped before recording an answer' })
    .where(and(eq(pushOutbox.status, 'sending'), lt(pushOutbox.claimedAt, now - PUSH_RECLAIM_AFTER_MS)));
}

async function sendRound(platform: Platform): Promise<{ sent: number; more: boolean }> {
  const { db } = platform;
  const sender = platform.push!;
  const now = platform.clock.now().getTime();
  const claimId = platform.ids.next();
  const due = db
    .select({ id: pushOutbox.id })
    .from(pushOutbox)
    .where(and(eq(pushOutbox.status, 'pending'), lte(pushOutbox.nextAttemptAt, now)))
    .orderBy(pushOutbox.nextAttemptAt, pushOutbox.id)
    .limit(PUSH_BATCH);
  const rows = await db
    .update(pushOutbox)
    .set({ status: 'sending', claimId, claimedAt: now, attempts: sql`${pushOutbox.attempts} + 1` })
    .where(and(inArray(pushOutbox.id, due), eq(pushOutbox.status, 'pending')))
    .returning();
  if (rows.length === 0) return { sent: 0, more: false };
  const subs = await db
    .select()
    .from(pushSubscriptions)
    .where(inArray(pushSubscriptions.id, [...new Set(rows.map((r) => r.subscriptionId))]));
  const byId = new Map(subs.map((s) => [s.id, s]));
  const prefRows = await db
    .select()
    .from(notificationPreferences)
    .where(inArray(notificationPreferences.userId, [...new Set(rows.map((r) => r.userId))]));
  const prefs = new Map(prefRows.map((p) => [p.userId, preferencesOf(p)]));
  // Turned off since it was queued (push, or that type): not sent.
  const cancelled = new Set(rows.filter((r) => !pushWanted(prefs.get(r.userId) ?? DEFAULT_PREFERENCES, r.type)).map((r) => r.id));

  const outcomes = new Map<string, PushOutcome>();
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      if (cancelled.has(row.id)) continue;
      const sub = byId.get(row.subscriptionId);
      // Gone since the claim (unsubscribed): its row went with it, nothing to record.
      if (!sub) continue;
      const urgency = row.type === 'security_alert' ? 'high' : 'normal';
      outcomes.set(row.id, await sender.send({ endpoint: sub.endpoint, p256dh: sub.p256dh, auth: sub.auth }, { payload: row.payload, ttl: TTL_S, urgency }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, rows.length) }, worker));

  const at = platform.clock.now();
  const mine = (id: string) => and(eq(pushOutbox.id, id), eq(pushOutbox.claimId, claimId));
  const writes: BatchItem<'sqlite'>[] = [];
  const gone = new Set<string>();
  let sent = 0;
  for (const id of cancelled) writes.push(db.update(pushOutbox).set({ status: 'cancelled' }).where(mine(id)));
  for (const row of rows) {
    const o = outcomes.get(row.id);
    if (!o) continue;
    if (o.status === 'sent') {
      sent++;
      writes.push(db.update(pushOutbox).set({ status: 'sent', sentAt: at.toISOString(), lastError: null }).where(mine(row.id)));
    } else if (o.status === 'gone') {
      gone.add(row.subscriptionId);
    } else if (o.status === 'rejected' || row.attempts >= MAX_ATTEMPTS) {
      writes.push(db.update(pushOutbox).set({ status: 'failed', lastError: o.error.slice(0, MAX_ERROR) }).where(mine(row.id)));
    } else {
      const wait = Math.max(backoffMs(row.attempts), o.retryAfterMs ?? 0);
      writes.push(db.update(pushOutbox).set({ status: 'pending', nextAttemptAt: at.getTime() + wait, lastError: o.error.slice(0, MAX_ERROR) }).where(mine(row.id)));
    }
  }
  // The browser dropped it: the subscription goes, and with it (cascade) what was queued for it.
  if (gone.size > 0) {
    writes.push(db.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, [...gone])));
    platform.logger.info('push subscriptions removed: the push service no longer knows them', { count: gone.size });
  }
  const [first, ...rest] = writes;
  if (first) await db.batch([first, ...rest]);
  return { sent, more: rows.length === PUSH_BATCH };
}
