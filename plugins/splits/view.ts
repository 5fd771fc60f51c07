import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { users } from '../../core/auth/tables.ts';
import { notFound } from '../../core/http/errors.ts';
import { fromMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import { splitPayments, splits, splitShares } from './tables.ts';

export type SplitRow = typeof splits.$inferSelect;

export interface ShareState {
  userId: string;
  name: string;
  amountMinor: number;
  weight: number | null;
  paidAt: string | null;
}

/** A split with its shares in split order, as stored. */
export interface SplitState {
  row: SplitRow;
  payerName: string;
  shares: ShareState[];
}

/**
 * The caller takes part in the split: they paid it or have a share in it. One id set from two
 * indexes (payer; share's user): an OR over both would scan every user's splits.
 */
export const involves = (userId: string) =>
  sql`${splits.id} in (select ${splits.id} from ${splits} where ${splits.payerId} = ${userId} union select ${splitShares.splitId} from ${splitShares} where ${splitShares.userId} = ${userId})`;

/** Splits by id with their shares and the current names of the people in them (core's users table), in one round trip. */
export async function loadSplits(platform: Platform, ids: readonly string[]): Promise<SplitState[]> {
  if (ids.length === 0) return [];
  const { db } = platform;
  const [rows, shares, payers] = await db.batch([
    db.select().from(splits).where(inArray(splits.id, ids)),
    db
      .select({
        splitId: splitShares.splitId,
        userId: splitShares.userId,
        name: users.name,
        amountMinor: splitShares.amountMinor,
        weight: splitShares.weight,
        paidAt: splitPayments.paidAt,
      })
      .from(splitShares)
      .innerJoin(users, eq(users.id, splitShares.userId))
      .leftJoin(splitPayments, and(eq(splitPayments.splitId, splitShares.splitId), eq(splitPayments.userId, splitShares.userId)))
      .where(inArray(splitShares.splitId, ids))
      .orderBy(asc(splitShares.splitId), asc(splitShares.position)),
    db
      .select({ splitId: splits.id, name: users.name })
      .from(splits)
      .innerJoin(users, eq(users.id, splits.payerId))
      .where(inArray(splits.id, ids)),
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const payerNames = new Map(payers.map((p) => [p.splitId, p.name]));
  // In the order asked for.
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [{ row, payerName: payerNames.get(id) ?? '', shares: shares.filter((s) => s.splitId === id).map(({ splitId: _, ...s }) => s) }];
  });
}

/** The split when the user takes part in it; anyone else gets the same 404 as for a split that does not exist. */
export async function loadVisible(platform: Platform, id: string, userId: string): Promise<SplitState> {
  const [state] = await loadSplits(platform, [id]);
  if (!state || (state.row.payerId !== userId && !state.shares.some((s) => s.userId === userId))) throw notFound('Split');
  return state;
}

/** The answer's shape (the seed's, participants populated with `_id` and `name`). */
export function splitView({ row, payerName, shares }: SplitState) {
  const money = (minor: number) => fromMinor(minor, row.currency);
  return {
    _id: row.id,
    expense: { _id: row.expenseId, description: row.description, amount: money(row.amountMinor), category: row.category, currency: row.currency, date: row.expenseDate },
    group: { _id: row.groupId, name: row.groupName },
    paidBy: { _id: row.payerId, name: payerName },
    splitMethod: row.method,
    notes: row.notes,
    participants: shares.map((s) => ({
      user: { _id: s.userId, name: s.name },
      amount: money(s.amountMinor),
      ...(row.method === 'percentage' && s.weight !== null && { percentage: s.weight / 100 }),
      ...(row.method === 'shares' && s.weight !== null && { shares: s.weight }),
      isPaid: s.paidAt !== null,
      ...(s.paidAt !== null && { paidAt: s.paidAt }),
    })),
    status: row.status,
    totalAmount: money(row.amountMinor),
    currency: row.currency,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * The statement that sets a split's status from its payments, in SQL: put it in the batch after
 * the payment's insert, so two payments committed together both count, whatever their order.
 */
export const refreshStatus = (platform: Platform, splitId: string, now: string) => {
  const unpaid = sql`(select count(*) from ${splitShares} s where s.split_id = ${splits.id}
    and not exists (select 1 from ${splitPayments} p where p.split_id = s.split_id and p.user_id = s.user_id))`;
  const paid = sql`exists (select 1 from ${splitPayments} p where p.split_id = ${splits.id})`;
  return platform.db
    .update(splits)
    .set({ status: sql`case when ${unpaid} = 0 then 'settled' when ${paid} then 'partial' else 'pending' end`, updatedAt: now })
    .where(eq(splits.id, splitId));
};
