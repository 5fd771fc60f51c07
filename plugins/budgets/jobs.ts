import { and, asc, eq, exists, gt, inArray } from 'drizzle-orm';
import { users } from '../../core/auth/tables.ts';
import type { JobDefinition } from '../../core/jobs.ts';
import { recheck } from './service.ts';
import { budgets, type BudgetRow } from './tables.ts';

/** Users per page: their budgets are read in one query, then evaluated user by user. */
const PAGE = 100;

/**
 * Every 15 minutes, every budget of every user is evaluated again: a new period may have begun
 * and rates loaded since the last write may have turned pending expenses into spending. Only
 * crossings not yet recorded are announced, so running it twice announces nothing new.
 */
export const recheckBudgets: JobDefinition = {
  name: 'budgets.recheck',
  cron: '*/15 * * * *',
  /** Returns how many budgets it evaluated. */
  async run({ platform }) {
    const { db } = platform;
    let evaluated = 0;
    for (let after = ''; ; ) {
      const owners = await db
        .select({ id: users.id, currency: users.currency, timeZone: users.timeZone })
        .from(users)
        .where(and(gt(users.id, after), exists(db.select({ one: budgets.id }).from(budgets).where(eq(budgets.userId, users.id)))))
        .orderBy(asc(users.id))
        .limit(PAGE);
      if (owners.length === 0) return evaluated;
      const rows = await db
        .select()
        .from(budgets)
        .where(
          inArray(
            budgets.userId,
            owners.map((o) => o.id),
          ),
        );
      const byOwner = new Map<string, BudgetRow[]>();
      for (const row of rows) byOwner.set(row.userId, [...(byOwner.get(row.userId) ?? []), row]);
      for (const owner of owners) await recheck(platform, owner, byOwner.get(owner.id) ?? []);
      evaluated += rows.length;
      if (owners.length < PAGE) return evaluated;
      after = owners.at(-1)!.id;
    }
  },
};
