import { sql } from 'drizzle-orm';
import type { DomainEvents } from '../../core/events.ts';
import type { Platform } from '../../core/platform.ts';
import type { BudgetOwner, Evaluated } from './evaluate.ts';
import { periodKey } from './periods.ts';
import { budgetCrossings, budgets } from './tables.ts';

type Level = 'warning' | 'exceeded';

/**
 * Records the levels the evaluated budgets have reached in their current periods and emits
 * one `budget.threshold_crossed` per level newly reached, stored in the user's feed in the same
 * batch as the rows. The crossing row's primary key
 * (budget, period, level) decides who emits: of any number of writers racing, or a job run
 * twice, only the one whose insert lands gets a row back. A row is never removed while its
 * period lasts, so a dip and a rise again in the same period emit nothing.
 *
 * Reaching 100% also records the warning level: one write that jumps past both emits one
 * event (`exceeded`), and a later dip into the warning band does not announce a warning.
 */
export async function recordCrossings(platform: Platform, owner: BudgetOwner, evaluated: readonly Evaluated[]): Promise<void> {
  const reached = evaluated.filter((e) => e.view.status !== 'on_track');
  if (reached.length === 0) return;
  const now = platform.clock.now().toISOString();
  const { db } = platform;
  const statements = reached.flatMap((e) => {
    const levels: Level[] = e.view.status === 'exceeded' ? ['warning', 'exceeded'] : ['warning'];
    const key = periodKey(e.period, owner.timeZone);
    const level = e.view.status as Level;
    const crossing = (l: Level) =>
      sql`exists (select 1 from ${budgetCrossings} where ${budgetCrossings.budgetId} = ${e.row.id} and ${budgetCrossings.periodStart} = ${key} and ${budgetCrossings.level} = ${l})`;
    const budgetExists = sql`exists (select 1 from ${budgets} where ${budgets.id} = ${e.row.id})`;
    return [
      // The feed's event, in this batch and just before the rows: stored exactly when the
      // level reached (the event's) gets its row now, by the insert's own conditions.
      ...platform.feed.record(
        db,
        { userId: owner.id, type: 'budget.threshold_crossed', at: now, data: omitUser(crossingEvent(owner, e, level)) },
        sql`${budgetExists} and not ${crossing(level)}`,
      ),
      // `where exists`: a budget deleted meanwhile gets no row (rather than failing the batch on its foreign key).
      ...levels.map((l) =>
        db.all<{ budget_id: string; level: Level }>(sql`
          insert into ${budgetCrossings} (budget_id, period_start, level, crossed_at)
          select ${e.row.id}, ${key}, ${l}, ${now} where ${budgetExists}
          on conflict do nothing
          returning budget_id, level`),
      ),
    ];
  });
  const results = (await db.batch(statements as [(typeof statements)[number], ...typeof statements])) as unknown[];
  // The feed's statements answer a result set, the crossings' inserts the rows they returned.
  const rows = results.filter((r): r is { budget_id: string; level: Level }[] => Array.isArray(r)).flat();
  const inserted = new Set(rows.map((r) => `${r.budget_id}|${r.level}`));

  // After the commit: the rows are in, whatever a listener does.
  for (const e of reached) {
    const level: Level | null = inserted.has(`${e.row.id}|exceeded`)
      ? 'exceeded'
      : e.view.status === 'warning' && inserted.has(`${e.row.id}|warning`)
        ? 'warning'
        : null;
    if (!level) continue;
    await platform.events.emit('budget.threshold_crossed', crossingEvent(owner, e, level));
  }
}

function crossingEvent(owner: BudgetOwner, e: Evaluated, level: Level): DomainEvents['budget.threshold_crossed'] {
  return {
    userId: owner.id,
    budgetId: e.row.id,
    name: e.view.name,
    level,
    threshold: e.view.alertThreshold,
    percentageUsed: e.view.percentageUsed,
    spent: e.view.spent,
    amount: e.view.amount,
    currency: e.view.currency,
    periodStart: e.view.periodStart,
    periodEnd: e.view.periodEnd,
  };
}

/** The feed shows an event without its recipient: the feed is theirs. */
function omitUser<T extends { userId: string }>(payload: T): Omit<T, 'userId'> {
  const { userId: _, ...rest } = payload;
  return rest;
}
