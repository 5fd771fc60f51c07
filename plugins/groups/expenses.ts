import type { z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { currencyInfo, fromMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import { conversionFactorSql } from '../../core/rates/service.ts';
import type { ExpenseRecord } from '../../core/services.ts';
import { requireMember } from './access.ts';
import type { AddGroupExpenseBody } from './schemas.ts';
import { groupExpenses } from './tables.ts';

type User = Pick<AuthUser, 'id' | 'currency'>;


/**
 * The caller pays an expense for the group: an ordinary expense of theirs (through the expenses
 * service) and its link to the group, in the one batch that writes the expense. Who owes what
 * is the splits plugin's business (POST /api/splits): one way to split an expense, so that
 * no expense is ever counted twice in the group's balances.
 */
export async function addGroupExpense(platform: Platform, user: User, groupId: string, body: z.infer<typeof AddGroupExpenseBody>) {
  const { group } = await requireMember(platform, groupId, user.id);
  const currency = body.currency ?? group.currency;
  const addedAt = platform.clock.now().toISOString();
  const expense = await platform.services.expenses.create(user, { ...body, currency, type: 'expense' }, (expenseId) => [
    platform.db.insert(groupExpenses).values({ groupId, expenseId, addedBy: user.id, addedAt }),
  ]);
  return {
    expense: expense.id,
    addedBy: user.id,
    addedAt,
    paidBy: expense.userId,
    description: expense.description,
    amount: expense.amount,
    currency: expense.currency,
    category: expense.category,
    date: expense.date,
  };
}

// The expenses service takes at most 500 ids a call.
const FIND_CHUNK = 500;

interface Converted {
  userId: string;
  count: number;
  counted: number;
  totalMinor: number;
}

/**
 * Totals of expenses per payer in minor units of `to`, each expense converted at the rate of its
 * own day by the same SQL the expenses plugin uses (the rows come from its service, as values).
 */
async function convertTotals(platform: Platform, records: ExpenseRecord[], to: string): Promise<Converted[]> {
  if (records.length === 0) return [];
  const toUnit = 10 ** currencyInfo(to)!.digits;
  const rows = sql.join(
    records.map((r) => sql`(${r.userId}, ${r.amountMinor}, ${r.currency}, ${10 ** currencyInfo(r.currency)!.digits}, ${r.date.slice(0, 10)})`),
    sql`, `,
  );
  return platform.db.all<Converted>(sql`
    with e(user_id, amount_minor, currency, minor_per_unit, day) as (values ${rows}),
    c as (
      select user_id, amount_minor, minor_per_unit,
        case when currency = ${to} then 1.0 else ${conversionFactorSql(sql`e.currency`, to, sql`e.day`)} end as factor
      from e
    )
    select user_id as userId, count(*) as count, count(factor) as counted,
      coalesce(sum(cast(round(amount_minor * factor * ${toUnit} / minor_per_unit) as integer)), 0) as totalMinor
    from c group by user_id`);
}

export async function statistics(platform: Platform, user: User, groupId: string) {
  const { group, members } = await requireMember(platform, groupId, user.id);
  const links = await platform.db.select({ id: groupExpenses.expenseId }).from(groupExpenses).where(eq(groupExpenses.groupId, groupId));
  const byUser = new Map<string, Converted>();
  for (let i = 0; i < links.length; i += FIND_CHUNK) {
    const records = await platform.services.expenses.find(links.slice(i, i + FIND_CHUNK).map((l) => l.id));
    for (const t of await convertTotals(platform, records, group.currency)) {
      const sum = byUser.get(t.userId) ?? { userId: t.userId, count: 0, counted: 0, totalMinor: 0 };
      byUser.set(t.userId, { userId: t.userId, count: sum.count + t.count, counted: sum.counted + t.counted, totalMinor: sum.totalMinor + t.totalMinor });
    }
  }
  const totals = [...byUser.values()];
  const names = new Map(members.map((m) => [m.userId, m.name]));
  return {
    totalMembers: members.filter((m) => m.isActive).length,
    totalExpenses: totals.reduce((s, t) => s + t.count, 0),
    totalAmount: fromMinor(
      totals.reduce((s, t) => s + t.totalMinor, 0),
      group.currency,
    ),
    pendingCount: totals.reduce((s, t) => s + t.count - t.counted, 0),
    currency: group.currency,
    memberContributions: totals
      .sort((a, b) => b.totalMinor - a.totalMinor || (a.userId < b.userId ? -1 : 1))
      .map((t) => ({ user: t.userId, name: names.get(t.userId) ?? '', totalAmount: fromMinor(t.totalMinor, group.currency), expenseCount: t.count })),
  };
}
