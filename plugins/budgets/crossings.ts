import { sql } from 'drizzle-orm';
import type { Platform } from '../../core/platform.ts';
import type { BudgetOwner, Evaluated } from './evaluate.ts';
import { periodKey } from './periods.ts';
import { budgetCrossings, budgets } from './tables.ts';

type Level = 'warning' | 'exceeded';

/**
 * Records the levels the evaluated budgets have reached in their current periods and emits
 * one `budget.threshold_crossed` per level newly reached. The crossing row's primary key
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
  const statements = reached.flatMap((e) => {
    const levels: Level[] = e.view.status === 'exceeded' ? ['warning', 'exceeded'] : ['warning'];
    const key = periodKey(e.period, owner.timeZone);
    // `where exists`: a budget deleted meanwhile gets no row (rather than failing the batch on its foreign key).
    return levels.map((level) =>
      platform.db.all<{ budget_id: string; level: Level }>(sql`
        insert into ${budgetCrossings} (budget_id, period_start, level, crossed_at)
        select ${e.row.id}, ${key}, ${level}, ${now} where exists (select 1 from ${budgets} where ${budgets.id} = ${e.row.id})
        on conflict do nothing
        returning budget_id, level`),
    );
  });
  const results = (await platform.db.batch(statements as [(typeof statements)[number], ...typeof statements])) as unknown as {
    budget_id: string;
    level: Level;
  }[][];
  const inserted = new Set(results.flat().map((r) => `${r.budget_id}|${r.level}`));

  // After the commit: the rows are in, whatever a listener does.
  for (const e of reached) {
    const level: Level | null = inserted.has(`${e.row.id}|exceeded`)
      ? 'exceeded'
      : e.view.status === 'warning' && inserted.has(`${e.row.id}|warning`)
        ? 'warning'
        : null;
    if (!level) continue;
    await platform.events.emit('budget.threshold_crossed', {
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
    });
  }
}
