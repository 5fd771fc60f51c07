import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { convertMinor, fromMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import { conversionFactorSql } from '../../core/rates/service.ts';
import { MAX_PENDING_SHOWN } from './schemas.ts';
import { splitPayments, splits, splitShares } from './tables.ts';
import { involves } from './view.ts';

const paymentOf = and(eq(splitPayments.splitId, splitShares.splitId), eq(splitPayments.userId, splitShares.userId));

/**
 * The caller's split figures. Counts and sums run in SQL; unpaid shares are summed per currency
 * and expense day, and each such sum is converted into the caller's display currency at the
 * rate of that day (the spending totals' rule: a day without a rate is left out and counted in
 * `unconverted`, never guessed).
 */
export async function statistics(platform: Platform, user: Pick<AuthUser, 'id' | 'currency'>) {
  const { db } = platform;
  const day = sql`substr(${splits.expenseDate}, 1, 10)`;
  const factor = sql<number | null>`case when ${splits.currency} = ${user.currency} then 1 else ${conversionFactorSql(splits.currency, user.currency, day)} end`;
  // Unpaid shares grouped by currency and day: `owed` the caller's own, `owedTo` others' in splits the caller paid.
  const unpaidSums = (mine: boolean) =>
    db
      .select({ currency: splits.currency, minor: sql<number>`sum(${splitShares.amountMinor})`, count: sql<number>`count(*)`, factor })
      .from(splitShares)
      .innerJoin(splits, eq(splits.id, splitShares.splitId))
      .leftJoin(splitPayments, paymentOf)
      .where(
        and(
          isNull(splitPayments.paidAt),
          mine ? eq(splitShares.userId, user.id) : and(eq(splits.payerId, user.id), ne(splitShares.userId, user.id)),
        ),
      )
      .groupBy(splits.currency, day);
  const [[totals], [counts], owed, owedTo, pending] = await db.batch([
    db.select({ n: sql<number>`count(*)` }).from(splits).where(involves(user.id)),
    // A payer's own share counts as a completed payment: it is paid at creation.
    db
      .select({ paid: sql<number>`count(${splitPayments.paidAt})`, unpaid: sql<number>`count(*) - count(${splitPayments.paidAt})` })
      .from(splitShares)
      .leftJoin(splitPayments, paymentOf)
      .where(eq(splitShares.userId, user.id)),
    unpaidSums(true),
    unpaidSums(false),
    db
      .select({ splitId: splits.id, expense: splits.description, minor: splitShares.amountMinor, currency: splits.currency, group: splits.groupName })
      .from(splitShares)
      .innerJoin(splits, eq(splits.id, splitShares.splitId))
      .leftJoin(splitPayments, paymentOf)
      .where(and(eq(splitShares.userId, user.id), isNull(splitPayments.paidAt)))
      .orderBy(desc(splits.id))
      .limit(MAX_PENDING_SHOWN),
  ]);
  let unconverted = 0;
  const total = (groups: { currency: string; minor: number; count: number; factor: number | null }[]) => {
    let minor = 0;
    for (const g of groups) {
      if (g.factor === null) unconverted += g.count;
      else minor += convertMinor(g.minor, g.currency, user.currency, g.factor);
    }
    return fromMinor(minor, user.currency);
  };
  return {
    currency: user.currency,
    totalSplits: totals?.n ?? 0,
    pendingPayments: counts?.unpaid ?? 0,
    completedPayments: counts?.paid ?? 0,
    totalOwed: total(owed),
    totalOwedTo: total(owedTo),
    unconverted,
    pendingSplits: pending.map((p) => ({ splitId: p.splitId, expense: p.expense, amount: fromMinor(p.minor, p.currency), currency: p.currency, group: p.group })),
  };
}
