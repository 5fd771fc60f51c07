import { backoff } from '../../core/backoff.ts';
import { and, asc, eq, gt, inArray, lt, lte, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { users } from '../../core/auth/tables.ts';
import type { JobDefinition } from '../../core/jobs.ts';
import { errorFields } from '../../core/logger.ts';
import type { Platform } from '../../core/platform.ts';
import { refusal } from './destination.ts';
import { openSecret, signatureHeader } from './secrets.ts';
import { type DeliveryRow, type WebhookRow } from './service.ts';
import { webhookDeliveries, webhooks } from './tables.ts';

/** Tries stop this long after a delivery was created. */
export const RETRY_WINDOW_MS = 24 * 60 * 60_000;
const FIRST_BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 4 * 60 * 60_000;
/** How long a receiver has to answer. */
const TIMEOUT_MS = 10_000;
/** A `sending` row claimed this long ago belongs to a run that died: due again (receivers dedupe by delivery id). */
const STALE_CLAIM_MS = 5 * 60_000;
const CLAIM_BATCH = 50;
const PARALLEL = 10;
const MAX_BATCHES = 20;
const FEED_PAGE = 200;
const MAX_ERROR = 500;

/** 1, 2, 4, … minutes after the n-th failed try, at most 4 hours. */
export const backoffMs = backoff(FIRST_BACKOFF_MS, MAX_BACKOFF_MS);

/**
 * Every minute, on every host: hands new feed events to each active webhook that wants them
 * (one delivery row per event and webhook), then sends what is due. A delivery is claimed (a
 * committed conditional update) before its request and recorded under that claim after, so two
 * runs never send the same try; a run that dies mid-send leaves it to be sent again after 5
 * minutes (at least once: the ExpenseFlow-Delivery header lets a receiver drop a repeat).
 */
export const deliverWebhooks: JobDefinition = {
  name: 'webhooks.deliver',
  cron: '* * * * *',
  leaseMs: 2 * 60_000,
  async run({ platform, signal }) {
    await fanOut(platform, signal);
    await releaseStale(platform);
    let sent = 0;
    for (let i = 0; i < MAX_BATCHES && !signal.aborted; i++) {
      const rows = await claim(platform);
      if (rows.length === 0) break;
      for (let j = 0; j < rows.length; j += PARALLEL) {
        const results = await Promise.all(rows.slice(j, j + PARALLEL).map((r) => attempt(platform, r)));
        sent += results.filter((r) => r.status === 'succeeded').length;
      }
      if (rows.length < CLAIM_BATCH) break;
    }
    return sent;
  },
};

/** Feed events after each webhook's cursor → delivery rows, the cursor moved past them, in one batch per webhook. */
async function fanOut(platform: Platform, signal: AbortSignal): Promise<void> {
  const { db, feed } = platform;
  for (let round = 0; round < 50 && !signal.aborted; round++) {
    const behind = await db
      .select({ webhook: webhooks })
      .from(webhooks)
      .innerJoin(users, eq(users.id, webhooks.userId))
      .where(and(eq(webhooks.active, true), gt(users.eventSeq, webhooks.cursor)))
      .limit(100);
    if (behind.length === 0) return;
    const now = platform.clock.now();
    for (const { webhook } of behind) {
      const events = await feed.after(webhook.userId, webhook.cursor, { limit: FEED_PAGE });
      // The counter can be ahead of the rows (an event purged, a raise whose row was guarded
      // out): with nothing left to read, the cursor catches up with the counter.
      const last = events.at(-1)?.seq ?? (await feed.last(webhook.userId));
      const wanted = events.filter((e) => webhook.eventTypes === null || webhook.eventTypes.includes(e.type));
      const writes: BatchItem<'sqlite'>[] = [
        // Under the cursor read: a concurrent run (after a lost lease) moves it once.
        db
          .update(webhooks)
          .set({ cursor: last })
          .where(and(eq(webhooks.id, webhook.id), eq(webhooks.cursor, webhook.cursor))),
      ];
      if (wanted.length > 0) {
        writes.push(
          db
            .insert(webhookDeliveries)
            .values(
              wanted.map((e) => ({
                id: platform.ids.next(),
                webhookId: webhook.id,
                eventSeq: e.seq,
                eventType: e.type,
                body: JSON.stringify({ type: e.type, seq: e.seq, createdAt: e.createdAt, data: e.data }),
                nextAttemptAt: now.getTime(),
                createdMs: now.getTime(),
                createdAt: now.toISOString(),
              })),
            )
            .onConflictDoNothing(),
        );
      }
      await db.batch(writes as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    }
  }
}

async function releaseStale(platform: Platform): Promise<void> {
  const now = platform.clock.now().getTime();
  await platform.db
    .update(webhookDeliveries)
    .set({ status: 'pending', claimId: null, nextAttemptAt: now })
    .where(and(eq(webhookDeliveries.status, 'sending'), lt(webhookDeliveries.claimedAt, now - STALE_CLAIM_MS)));
}

async function claim(platform: Platform, only?: string): Promise<DeliveryRow[]> {
  const { db } = platform;
  const now = platform.clock.now().getTime();
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      only
        ? and(eq(webhookDeliveries.id, only), eq(webhookDeliveries.status, 'pending'))
        : and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, now)),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
    .limit(CLAIM_BATCH);
  return db
    .update(webhookDeliveries)
    .set({ status: 'sending', claimId: platform.ids.next(), claimedAt: now, attempts: sql`${webhookDeliveries.attempts} + 1` })
    // `status = 'pending'` again: a row another run claimed in between stays its.
    .where(and(inArray(webhookDeliveries.id, due), eq(webhookDeliveries.status, 'pending')))
    .returning();
}

/** Claims one pending delivery and tries it now (a ping, a redelivery); undefined when another run holds it. */
export async function deliverNow(platform: Platform, deliveryId: string, options: { retry: boolean }): Promise<DeliveryRow | undefined> {
  const [row] = await claim(platform, deliveryId);
  return row && attempt(platform, row, { ...options, manual: true });
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

/** One try of a claimed delivery, recorded under its claim; returns the row as recorded. */
async function attempt(platform: Platform, row: DeliveryRow, options: { retry: boolean; manual?: boolean } = { retry: true }): Promise<DeliveryRow> {
  const [webhook] = await platform.db.select().from(webhooks).where(eq(webhooks.id, row.webhookId));
  // Switched off after the delivery was made: not sent by the job (a ping or redelivery, asked for now, still is).
  const off = webhook && !webhook.active && !options.manual;
  const outcome: Outcome = !webhook
    ? { ok: false, status: null, error: 'the webhook was deleted' }
    : off
      ? { ok: false, status: null, error: 'the webhook is switched off' }
      : await send(platform, webhook, row);
  const now = platform.clock.now();
  const next = now.getTime() + backoffMs(row.attempts);
  const giveUp = !options.retry || !webhook || off || next > row.createdMs + RETRY_WINDOW_MS;
  const [recorded] = await platform.db
    .update(webhookDeliveries)
    .set({
      ...(outcome.ok
        ? { status: 'succeeded' as const, deliveredAt: now.toISOString(), lastError: null }
        : { status: giveUp ? ('failed' as const) : ('pending' as const), nextAttemptAt: next, lastError: outcome.error.slice(0, MAX_ERROR) }),
      responseStatus: outcome.status,
      lastAttemptAt: now.toISOString(),
      claimId: null,
    })
    .where(and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.claimId, row.claimId!)))
    .returning();
  if (!outcome.ok) platform.logger.info('webhook delivery failed', { delivery: row.id, webhook: row.webhookId, attempts: row.attempts, status: outcome.status, error: outcome.error });
  return recorded ?? row;
}

async function send(platform: Platform, webhook: WebhookRow, row: DeliveryRow): Promise<Outcome> {
  const refused = await refusal(platform, webhook.url);
  if (refused) return { ok: false, status: null, error: `refused: ${refused}` };
  const now = platform.clock.now();
  const secrets = [await openSecret(platform.config, webhook.secret)];
  if (webhook.previousSecret && webhook.previousExpiresAt !== null && webhook.previousExpiresAt > now.getTime()) {
    secrets.push(await openSecret(platform.config, webhook.previousSecret));
  }
  if (secrets[0] === null) {
    platform.logger.error('webhook secret unreadable (JWT_SECRET changed since it was made?): rotate it', { webhook: webhook.id });
    return { ok: false, status: null, error: 'the signing secret could not be read: rotate it' };
  }
  const t = Math.floor(now.getTime() / 1000);
  try {
    const res = await fetch(webhook.url, {
      method: 'POST',
      // A redirect is not followed: it could point inward, past the check above.
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ExpenseFlow-Webhooks/1',
        'expenseflow-signature': await signatureHeader(secrets.filter((s): s is string => s !== null), t, row.body),
        'expenseflow-event': row.eventType,
        'expenseflow-delivery': row.id,
      },
      body: row.body,
    });
    await res.body?.cancel();
    return res.status >= 200 && res.status < 300 ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    platform.logger.debug('webhook request failed', { webhook: webhook.id, ...errorFields(err, { stack: false }) });
    return { ok: false, status: null, error: timedOut ? `no answer within ${TIMEOUT_MS / 1000} s` : 'could not connect' };
  }
}
