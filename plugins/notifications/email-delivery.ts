import { backoff } from '../../core/backoff.ts';
import { and, asc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { users } from '../../core/auth/tables.ts';
import type { JobDefinition } from '../../core/jobs.ts';
import { errorFields } from '../../core/logger.ts';
import { MailOutcomeUnknown, type SendOutcome } from '../../core/mail/interface.ts';
import type { Platform } from '../../core/platform.ts';
import { renderEmail } from './email.ts';
import { DEFAULT_PREFERENCES, emailWanted, type Preferences } from './preferences.ts';
import { emailOutbox, notificationPreferences } from './tables.ts';

/** Messages per Postmark batch call (Postmark takes up to 500). */
export const BATCH_SIZE = 100;
/** Batches per run: a backlog drains over several minutes rather than in one long run. */
const MAX_BATCHES = 50;
/** After this many tries a message that keeps meeting transient errors is given up. */
export const MAX_ATTEMPTS = 8;
const FIRST_BACKOFF_MS = 60_000;
const MAX_BACKOFF_MS = 60 * 60_000;
/**
 * A `sending` row claimed this long ago belongs to a run that died or got no answer: Postmark is
 * asked (by the outbox id sent as metadata) whether it took the message before anything else.
 */
export const RECONCILE_AFTER_MS = 5 * 60_000;
const RECONCILE_PER_RUN = 50;
const MAX_ERROR = 500;

export const backoffMs = backoff(FIRST_BACKOFF_MS, MAX_BACKOFF_MS);

type Row = typeof emailOutbox.$inferSelect;

/**
 * Every minute: hands the outbox to the mailer in batches. A message is claimed (a committed
 * conditional update) before it is sent and recorded under that claim after, so no run sends
 * what another claimed; one whose answer never came (a crash, a timeout) is looked up at
 * Postmark before it may be sent again: never twice.
 */
export const deliverEmails: JobDefinition = {
  name: 'notifications.email',
  cron: '* * * * *',
  leaseMs: 2 * 60_000,
  async run({ platform, signal }) {
    let delivered = await reconcile(platform);
    for (let i = 0; i < MAX_BATCHES && !signal.aborted; i++) {
      const batch = await sendBatch(platform);
      delivered += batch.delivered;
      if (!batch.more) break;
    }
    return delivered;
  },
};

async function claim(platform: Platform): Promise<{ claimId: string; rows: Row[] }> {
  const { db } = platform;
  const now = platform.clock.now().getTime();
  const claimId = platform.ids.next();
  const due = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.status, 'pending'), lte(emailOutbox.nextAttemptAt, now)))
    .orderBy(asc(emailOutbox.nextAttemptAt), asc(emailOutbox.id))
    .limit(Math.min(BATCH_SIZE, platform.mailer.maxBatch));
  const rows = await db
    .update(emailOutbox)
    .set({ status: 'sending', claimId, claimedAt: now, attempts: sql`${emailOutbox.attempts} + 1` })
    // `status = 'pending'` again: a row another run claimed in between stays its.
    .where(and(inArray(emailOutbox.id, due), eq(emailOutbox.status, 'pending')))
    .returning();
  return { claimId, rows };
}

async function sendBatch(platform: Platform): Promise<{ delivered: number; more: boolean }> {
  const { db, mailer, logger } = platform;
  const { claimId, rows } = await claim(platform);
  if (rows.length === 0) return { delivered: 0, more: false };
  const userIds = [...new Set(rows.map((r) => r.userId))];
  const [recipients, prefRows] = await db.batch([
    db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(inArray(users.id, userIds)),
    db.select().from(notificationPreferences).where(inArray(notificationPreferences.userId, userIds)),
  ]);
  const byId = new Map(recipients.map((u) => [u.id, u]));
  const prefs = new Map<string, Preferences>(
    prefRows.map((p) => [p.userId, { channels: { email: { enabled: p.emailEnabled, types: p.emailTypes }, push: DEFAULT_PREFERENCES.channels.push } }]),
  );
  // Turned off since it was queued (an unsubscribe link, the preferences): not sent.
  const wanted = rows.filter((r) => emailWanted(prefs.get(r.userId) ?? DEFAULT_PREFERENCES, r.type) && byId.has(r.userId));
  const cancelled = rows.filter((r) => !wanted.includes(r));
  const emails = await Promise.all(
    wanted.map((r) => renderEmail(platform.config, r.userId, { id: r.id, type: r.type, subject: r.subject, body: r.body, to: byId.get(r.userId)! })),
  );

  let outcomes: SendOutcome[] = [];
  if (emails.length > 0) {
    try {
      outcomes = await mailer.send(emails);
    } catch (err) {
      // No answer: the rows stay `sending` under this claim until reconcile() asks Postmark.
      logger.warn('email batch: no answer from the mailer; asked after later, never resent blindly', {
        count: emails.length,
        unknown: err instanceof MailOutcomeUnknown,
        ...errorFields(err, { stack: false }),
      });
      if (cancelled.length) await record(platform, claimId, rows, [], cancelled);
      throw err;
    }
  }
  await record(platform, claimId, rows, outcomes, cancelled);
  const delivered = outcomes.filter((o) => o.status === 'sent').length;
  // Postmark refusing the whole batch (its fault, a bad token, the rate limit): wait for the next tick.
  const refused = outcomes.length > 0 && outcomes.every((o) => o.status === 'retry');
  if (refused) logger.warn('email batch refused; retried with backoff', { count: outcomes.length, error: (outcomes[0] as { error: string }).error });
  return { delivered, more: !refused && rows.length === Math.min(BATCH_SIZE, mailer.maxBatch) };
}

/** The outcomes, written in one batch, each only under this run's claim. */
async function record(platform: Platform, claimId: string, rows: Row[], outcomes: SendOutcome[], cancelled: Row[]) {
  const { db, mailer } = platform;
  const now = platform.clock.now();
  const attemptsOf = new Map(rows.map((r) => [r.id, r.attempts]));
  const mine = (id: string) => and(eq(emailOutbox.id, id), eq(emailOutbox.claimId, claimId));
  const writes: BatchItem<'sqlite'>[] = [];
  for (const o of outcomes) {
    if (o.status === 'sent') {
      writes.push(
        db
          .update(emailOutbox)
          .set({ status: mailer.kind === 'log' ? 'logged' : 'sent', providerMessageId: o.messageId, sentAt: now.toISOString(), lastError: null })
          .where(mine(o.id)),
      );
    } else if (o.status === 'rejected') {
      writes.push(db.update(emailOutbox).set({ status: 'failed', failure: o.reason, lastError: o.error.slice(0, MAX_ERROR) }).where(mine(o.id)));
    } else {
      const attempts = attemptsOf.get(o.id) ?? MAX_ATTEMPTS;
      const last = attempts >= MAX_ATTEMPTS;
      writes.push(
        db
          .update(emailOutbox)
          .set(
            last
              ? { status: 'failed', failure: 'gave_up', lastError: o.error.slice(0, MAX_ERROR) }
              : { status: 'pending', nextAttemptAt: now.getTime() + backoffMs(attempts), lastError: o.error.slice(0, MAX_ERROR) },
          )
          .where(mine(o.id)),
      );
    }
  }
  for (const r of cancelled) writes.push(db.update(emailOutbox).set({ status: 'cancelled' }).where(mine(r.id)));
  const [first, ...rest] = writes;
  if (first) await db.batch([first, ...rest]);
}

/**
 * Rows left `sending` by a run that died between the send and its record, or got no answer:
 * Postmark says whether it took each (its message id) — then it is recorded as sent — or not —
 * then it is due again. A row Postmark cannot be asked about now waits for the next run.
 */
async function reconcile(platform: Platform): Promise<number> {
  const { db, mailer, logger } = platform;
  const now = platform.clock.now();
  const stale = await db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.status, 'sending'), lt(emailOutbox.claimedAt, now.getTime() - RECONCILE_AFTER_MS)))
    .orderBy(asc(emailOutbox.claimedAt))
    .limit(RECONCILE_PER_RUN);
  let found = 0;
  for (const row of stale) {
    let messageId: string | null;
    try {
      messageId = await mailer.find(row.id);
    } catch (err) {
      logger.warn('email outcome unknown: the mailer cannot be asked now', { outboxId: row.id, ...errorFields(err, { stack: false }) });
      break;
    }
    const mine = and(eq(emailOutbox.id, row.id), eq(emailOutbox.claimId, row.claimId!));
    if (messageId !== null || mailer.kind === 'log') {
      found++;
      await db
        .update(emailOutbox)
        .set({ status: mailer.kind === 'log' ? 'logged' : 'sent', providerMessageId: messageId, sentAt: now.toISOString(), lastError: null })
        .where(mine);
    } else {
      await db.update(emailOutbox).set({ status: 'pending', nextAttemptAt: now.getTime(), lastError: 'no answer to its send; Postmark has no such message' }).where(mine);
    }
  }
  return found;
}
