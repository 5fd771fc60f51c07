import { and, asc, eq, gt, isNotNull, lte } from 'drizzle-orm';
import { users } from '../../core/auth/tables.ts';
import { localDay } from '../../core/calendar.ts';
import type { JobDefinition } from '../../core/jobs.ts';
import { errorFields } from '../../core/logger.ts';
import { fromMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import { occurrence } from './schedule.ts';
import { recurringExpenses, recurringOccurrences } from './tables.ts';

const PAGE = 200;
/** Occurrences one schedule may catch up in one run (a daily one down for a year: two runs). */
const MAX_CATCH_UP = 200;
const MAX_ERROR = 500;

type Row = typeof recurringExpenses.$inferSelect;

/**
 * Every hour: creates each due occurrence of every schedule through the expenses service, also
 * those missed while the server was down, oldest first. An occurrence is due once its day has
 * begun in the user's time zone. Each is written in one batch with its occurrence row (the
 * primary key: never twice), the schedule's advance and the user's feed event.
 */
export const createDueExpenses: JobDefinition = {
  name: 'recurring.create',
  cron: '0 * * * *',
  async run({ platform, signal }) {
    const { db } = platform;
    // No time zone is more than 14 hours ahead of UTC: a day after UTC's today bounds every user's today.
    const horizon = localDay(new Date(platform.clock.now().getTime() + 86_400_000), 'UTC');
    let created = 0;
    for (let after = ''; !signal.aborted; ) {
      const rows = await db
        .select({ schedule: recurringExpenses, currency: users.currency, timeZone: users.timeZone })
        .from(recurringExpenses)
        .innerJoin(users, eq(users.id, recurringExpenses.userId))
        .where(and(eq(recurringExpenses.paused, false), isNotNull(recurringExpenses.nextDate), lte(recurringExpenses.nextDate, horizon), gt(recurringExpenses.id, after)))
        .orderBy(asc(recurringExpenses.id))
        .limit(PAGE);
      for (const { schedule, currency, timeZone } of rows) created += await catchUp(platform, schedule, { id: schedule.userId, currency }, timeZone);
      if (rows.length < PAGE) break;
      after = rows.at(-1)!.schedule.id;
    }
    return created;
  },
};

async function catchUp(platform: Platform, schedule: Row, owner: { id: string; currency: string }, timeZone: string): Promise<number> {
  const { db } = platform;
  const today = localDay(platform.clock.now(), timeZone);
  let { nextIndex: index, nextDate: date } = schedule;
  let created = 0;
  while (date !== null && date <= today && created < MAX_CATCH_UP) {
    const following = occurrence(schedule.startDate, schedule.frequency, schedule.interval, index + 1);
    const advance = { nextIndex: index + 1, nextDate: schedule.endDate && following > schedule.endDate ? null : following, lastError: null };
    // Only from where this run read it: a schedule changed meanwhile (PUT) is left to the next run.
    const unchanged = and(eq(recurringExpenses.id, schedule.id), eq(recurringExpenses.nextIndex, index), eq(recurringExpenses.startDate, schedule.startDate));
    const [done] = await db
      .select({ expenseId: recurringOccurrences.expenseId })
      .from(recurringOccurrences)
      .where(and(eq(recurringOccurrences.recurringId, schedule.id), eq(recurringOccurrences.date, date)));
    try {
      if (done) {
        await db.update(recurringExpenses).set(advance).where(unchanged);
      } else {
        const day = date;
        const input = {
          description: schedule.description,
          amount: fromMinor(schedule.amountMinor, schedule.currency),
          currency: schedule.currency,
          category: schedule.category,
          type: schedule.type,
          date: day,
        };
        const at = platform.clock.now().toISOString();
        const told = (expenseId: string) => ({ recurringId: schedule.id, expenseId, description: input.description, amount: input.amount, currency: input.currency, date: day });
        const expense = await platform.services.expenses.create(owner, input, (expenseId) => [
          // The occurrence's primary key lets one batch through per day: the feed's event lands with it, never twice.
          db.insert(recurringOccurrences).values({ recurringId: schedule.id, date: day, expenseId, createdAt: at }),
          db.update(recurringExpenses).set(advance).where(unchanged),
          ...platform.feed.record(db, { userId: owner.id, type: 'recurring.expense_created', at, data: told(expenseId) }),
        ]);
        created++;
        // After the commit: the notifications plugin tells the user (in-app; by email if they chose it).
        await platform.events.emit('recurring.expense_created', {
          userId: owner.id,
          recurringId: schedule.id,
          expenseId: expense.id,
          description: expense.description,
          amount: expense.amount,
          currency: expense.currency,
          date: day,
        });
      }
    } catch (err) {
      // Say, the category was deleted: the schedule waits (the user sees lastError) and the others go on.
      platform.logger.warn('recurring expense not created', { recurringId: schedule.id, date, ...errorFields(err, { stack: false }) });
      await db
        .update(recurringExpenses)
        .set({ lastError: (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR) })
        .where(eq(recurringExpenses.id, schedule.id));
      return created;
    }
    index = advance.nextIndex;
    date = advance.nextDate;
  }
  return created;
}
