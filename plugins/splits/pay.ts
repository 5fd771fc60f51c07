import type { z } from '@hono/zod-openapi';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { isUniqueViolation } from '../../core/db/errors.ts';
import { AppError } from '../../core/http/errors.ts';
import { fromMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import type { PayBody } from './schemas.ts';
import { splitPayments } from './tables.ts';
import { loadVisible, refreshStatus, splitView } from './view.ts';

const alreadyPaid = () => new AppError('ALREADY_PAID', 'This share is already paid');

/**
 * Marks a share paid: the caller's own, or (the payer only) any participant's. The payment row,
 * the status (computed in SQL from every payment) and the `payment` entry in the group's ledger
 * land in one batch; the payment row's primary key makes a second payment of the same share fail
 * the whole batch, so the ledger never records a share paid twice.
 */
export async function paySplit(platform: Platform, user: Pick<AuthUser, 'id'>, id: string, body: z.infer<typeof PayBody>) {
  const state = await loadVisible(platform, id, user.id);
  const { row } = state;
  const target = body.participantId ?? user.id;
  if (target !== user.id && row.payerId !== user.id) {
    throw new AppError('FORBIDDEN', 'Only the payer may mark another participant’s share', [{ path: 'json.participantId', message: 'must be your own id, or absent' }]);
  }
  const share = state.shares.find((s) => s.userId === target);
  if (!share) {
    throw new AppError('VALIDATION_FAILED', 'Invalid payment', [
      { path: 'json.participantId', message: body.participantId ? 'is not a participant of this split' : 'is required: you have no share in this split' },
    ]);
  }
  if (share.paidAt !== null) throw alreadyPaid();

  const now = platform.clock.now().toISOString();
  const { db } = platform;
  try {
    await db.batch([
      db.insert(splitPayments).values({ splitId: row.id, userId: target, markedBy: user.id, paidAt: now }),
      refreshStatus(platform, row.id, now),
      // Dated like the debt it pays (the expense's day): both convert into the group's currency
      // at the same rate, so a settled split leaves nothing behind in the balances.
      ...platform.services.groups.ledgerStatements([
        {
          groupId: row.groupId,
          kind: 'payment',
          fromUserId: target,
          toUserId: row.payerId,
          amountMinor: share.amountMinor,
          currency: row.currency,
          date: row.expenseDate,
          sourceId: row.id,
        },
      ]),
      // The payer and the participant hear of it (once when they are the same), in this batch.
      ...[...new Set([row.payerId, target])].flatMap((userId) =>
        platform.feed.record(db, {
          userId,
          type: 'split.paid',
          at: now,
          data: { splitId: row.id, groupId: row.groupId, participantId: target, markedBy: user.id, amount: fromMinor(share.amountMinor, row.currency), currency: row.currency },
        }),
      ),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyPaid(); // paid by a request that committed first
    throw err;
  }
  return splitView(await loadVisible(platform, id, user.id));
}
