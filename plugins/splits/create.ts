import type { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { isUniqueViolation } from '../../core/db/errors.ts';
import { AppError } from '../../core/http/errors.ts';
import { fromMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import type { GroupInfo, LedgerEntry } from '../../core/services.ts';
import { computeShares, type ShareRequest, type SplitMethod } from './arithmetic.ts';
import type { CreateSplitBody } from './schemas.ts';
import { splitPayments, splits, splitShares } from './tables.ts';
import { loadVisible, refreshStatus, splitView } from './view.ts';

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', 'Invalid split', [{ path, message }]);
const alreadySplit = () => new AppError('ALREADY_SPLIT', 'This expense is already split', [{ path: 'json.expenseId', message: 'is already split' }]);

/**
 * Who shares the expense, in split order. A list is checked against the group's active members;
 * without one, the active members take part, the payer first (so the leftover units of an uneven
 * division fall to the one who paid it all, and nobody else owes more than their exact share),
 * then the others by user id, which does not depend on how the group lists them.
 */
function participantsOf(body: z.infer<typeof CreateSplitBody>, method: SplitMethod, group: GroupInfo, payerId: string): ShareRequest[] {
  const active = new Set(group.members.filter((m) => m.isActive).map((m) => m.userId));
  if (body.participants) {
    const seen = new Set<string>();
    body.participants.forEach((p, i) => {
      if (seen.has(p.userId)) throw invalid(`json.participants.${i}.userId`, 'appears twice');
      if (!active.has(p.userId)) throw invalid(`json.participants.${i}.userId`, 'is not an active member of the group');
      seen.add(p.userId);
    });
    return body.participants;
  }
  if (method === 'exact' || method === 'percentage') throw invalid('json.participants', `is required by splitMethod ${method}`);
  const others = [...active].filter((id) => id !== payerId).sort();
  return [payerId, ...others].map((userId) => (method === 'shares' ? { userId, shares: 1 } : { userId }));
}

/**
 * Splits one of the caller's expenses among members of a group: the split, its shares, the
 * payer's own share as paid, the status and the debts in the group's ledger land in one batch.
 */
export async function createSplit(platform: Platform, user: Pick<AuthUser, 'id'>, body: z.infer<typeof CreateSplitBody>) {
  const { expenses, groups } = platform.services;
  const [[expense], group, [existing]] = await Promise.all([
    expenses.find([body.expenseId]),
    groups.visibleTo(body.groupId, user.id),
    platform.db.select({ id: splits.id }).from(splits).where(eq(splits.expenseId, body.expenseId)),
  ]);
  // Only the payer splits an expense; anyone else's expense is as absent as a missing one.
  if (!expense || expense.userId !== user.id) throw new AppError('NOT_FOUND', 'Expense not found', [{ path: 'json.expenseId', message: 'no such expense of yours' }]);
  if (!group) throw new AppError('NOT_FOUND', 'Group not found', [{ path: 'json.groupId', message: 'no such group you are an active member of' }]);
  if (expense.type !== 'expense') throw invalid('json.expenseId', 'is an income: only expenses are split');
  if (existing) throw alreadySplit();

  const method = body.splitMethod ?? group.defaultSplitMethod;
  const participants = participantsOf(body, method, group, user.id);
  // A split nobody else takes part in would owe nothing, yet use up the expense's one split.
  if (participants.every((p) => p.userId === user.id)) {
    throw invalid('json.participants', body.participants ? 'must name someone besides you, the payer' : 'the group has no other active member to split with');
  }
  const shares = computeShares(method, expense.amountMinor, expense.currency, participants);

  const id = platform.ids.next();
  const now = platform.clock.now().toISOString();
  const debts: LedgerEntry[] = shares
    .filter((s) => s.userId !== user.id)
    .map((s) => ({
      groupId: group.id,
      kind: 'debt',
      fromUserId: s.userId,
      toUserId: user.id,
      amountMinor: s.amountMinor,
      currency: expense.currency,
      date: expense.date,
      sourceId: id,
    }));
  const payerShares = shares.some((s) => s.userId === user.id);
  const { db } = platform;
  try {
    await db.batch([
      db.insert(splits).values({
        id,
        expenseId: expense.id,
        groupId: group.id,
        groupName: group.name,
        payerId: user.id,
        method,
        notes: body.notes || null,
        description: expense.description,
        category: expense.category,
        amountMinor: expense.amountMinor,
        currency: expense.currency,
        expenseDate: expense.date,
        status: 'pending',
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(splitShares).values(shares.map((s, position) => ({ splitId: id, userId: s.userId, position, amountMinor: s.amountMinor, weight: s.weight }))),
      // The payer paid the whole expense: their own share is settled from the start.
      ...(payerShares ? [db.insert(splitPayments).values({ splitId: id, userId: user.id, markedBy: user.id, paidAt: now })] : []),
      refreshStatus(platform, id, now),
      ...(debts.length > 0 ? groups.ledgerStatements(debts) : []),
      // Each participant's feed tells them, in this batch: the split and the event land together.
      ...shares.flatMap((s) =>
        platform.feed.record(db, {
          userId: s.userId,
          type: 'split.created',
          at: now,
          data: {
            splitId: id,
            groupId: group.id,
            expenseId: expense.id,
            payerId: user.id,
            description: expense.description,
            amount: fromMinor(expense.amountMinor, expense.currency),
            share: fromMinor(s.amountMinor, expense.currency),
            currency: expense.currency,
          },
        }),
      ),
    ]);
  } catch (err) {
    // Another request split the same expense between our check and our write: the unique index said no.
    if (isUniqueViolation(err)) throw alreadySplit();
    throw err;
  }
  return splitView(await loadVisible(platform, id, user.id));
}
