import { daysBetween, startOfLocalDay } from '../../core/calendar.ts';
import { fromMinor } from '../../core/money.ts';
import type { goals } from './tables.ts';

type GoalRow = typeof goals.$inferSelect;

/** Average days in a month (365.25 / 12): months left are counted from days left. */
const DAYS_PER_MONTH = 30.4375;

/** Percent saved, rounded down to 2 decimals so that 100 means reached, never "almost". */
export const progressOf = (currentMinor: number, targetMinor: number) => Math.floor((currentMinor * 10_000) / targetMinor) / 100;

/**
 * What must be added each month to arrive on time: the remainder spread over the months left,
 * rounded up to the minor unit so that paying it does arrive. A goal due this month, or
 * overdue, needs all of it now (at least one month).
 */
export function monthlyNeededMinor(remainingMinor: number, daysLeft: number): number {
  if (remainingMinor === 0) return 0;
  const months = Math.max(1, Math.ceil(daysLeft / DAYS_PER_MONTH));
  return Math.ceil(remainingMinor / months);
}

/** A goal as the API shows it: stored fields plus what is derived from them as of `now`. */
export function goalView(row: GoalRow, now: Date, timeZone: string) {
  const remainingMinor = Math.max(0, row.targetMinor - row.currentMinor);
  const daysLeft = row.targetDate === null ? null : daysBetween(now, startOfLocalDay(row.targetDate, timeZone), timeZone);
  return {
    _id: row.id,
    title: row.title,
    description: row.description,
    targetAmount: fromMinor(row.targetMinor, row.currency),
    currentAmount: fromMinor(row.currentMinor, row.currency),
    currency: row.currency,
    goalType: row.goalType,
    targetDate: row.targetDate,
    priority: row.priority,
    status: row.status,
    progress: progressOf(row.currentMinor, row.targetMinor),
    remainingAmount: fromMinor(remainingMinor, row.currency),
    daysLeft,
    monthlyNeeded: daysLeft === null ? null : fromMinor(monthlyNeededMinor(remainingMinor, daysLeft), row.currency),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export type GoalView = ReturnType<typeof goalView>;
