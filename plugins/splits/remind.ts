import { and, eq, lte, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { AppError } from '../../core/http/errors.ts';
import { fromMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import { splitReminders } from './tables.ts';
import { loadVisible } from './view.ts';

export const REMINDER_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * Sends a participant a reminder of what they owe on a split (payer only), at most once per
 * REMINDER_INTERVAL_MS per participant and split: the reminder row moves forward only when the
 * last one is old enough, in one conditional upsert, so of two racing reminders exactly one
 * goes out and the other gets 429 with the seconds left in Retry-After.
 */
export async function remind(platform: Platform, user: Pick<AuthUser, 'id'>, id: string, participantId: string) {
  const state = await loadVisible(platform, id, user.id);
  const { row } = state;
  if (row.payerId !== user.id) throw new AppError('FORBIDDEN', 'Only the payer of a split sends reminders');
  const share = state.shares.find((s) => s.userId === participantId);
  if (!share) throw new AppError('NOT_FOUND', 'Participant not found', [{ path: 'param.participantId', message: 'is not a participant of this split' }]);
  if (share.paidAt !== null) throw new AppError('ALREADY_PAID', 'This participant has already paid their share', [{ path: 'param.participantId', message: 'has paid' }]);

  const now = platform.clock.now();
  const sentAt = now.toISOString();
  const cutoff = new Date(now.getTime() - REMINDER_INTERVAL_MS).toISOString();
  const { db } = platform;
  const amount = fromMinor(share.amountMinor, row.currency);
  const event = {
    splitId: row.id,
    groupId: row.groupId,
    groupName: row.groupName,
    fromUserId: user.id,
    fromName: state.payerName,
    description: row.description,
    amount,
    currency: row.currency,
  };
  const reminder = and(eq(splitReminders.splitId, row.id), eq(splitReminders.userId, participantId));
  const [, , upserted] = await db.batch([
    // The participant's feed has the reminder exactly when its row moves: the upsert's own condition, checked just before it.
    ...(platform.feed.record(
      db,
      { userId: participantId, type: 'split.reminder', at: sentAt, data: event },
      sql`not exists (select 1 from ${splitReminders} where ${reminder} and ${splitReminders.sentAt} > ${cutoff})`,
    ) as [BatchItem<'sqlite'>, BatchItem<'sqlite'>]),
    db
      .insert(splitReminders)
      .values({ splitId: row.id, userId: participantId, sentAt, count: 1 })
      .onConflictDoUpdate({
        target: [splitReminders.splitId, splitReminders.userId],
        set: { sentAt, count: sql`${splitReminders.count} + 1` },
        setWhere: lte(splitReminders.sentAt, cutoff),
      })
      .returning({ sentAt: splitReminders.sentAt }),
  ]);
  const [sent] = upserted;
  if (!sent) {
    const [last] = await db
      .select({ sentAt: splitReminders.sentAt })
      .from(splitReminders)
      .where(reminder);
    const left = Math.max(1, Math.ceil((Date.parse(last?.sentAt ?? sentAt) + REMINDER_INTERVAL_MS - now.getTime()) / 1000));
    throw new AppError(
      'REMINDER_TOO_SOON',
      'A reminder about this split was sent to this participant less than 24 hours ago',
      [{ path: 'param.participantId', message: `was reminded at ${last?.sentAt}; try again in ${left} s` }],
      { 'Retry-After': String(left) },
    );
  }

  // After the commit, as every event: the notifications plugin turns it into the participant's notification.
  await platform.events.emit('split.reminder', { userId: participantId, ...event });
  return {
    splitId: row.id,
    participantId,
    amount,
    currency: row.currency,
    sentAt,
    nextAllowedAt: new Date(now.getTime() + REMINDER_INTERVAL_MS).toISOString(),
  };
}
