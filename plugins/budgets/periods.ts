import { localDay, periodOf, startOfLocalDay, type Period, type PeriodUnit } from '../../core/calendar.ts';
import type { BudgetPeriod } from './tables.ts';

/** The calendar unit of each recurring period. */
export const units: Record<Exclude<BudgetPeriod, 'custom'>, PeriodUnit> = { weekly: 'week', monthly: 'month', quarterly: 'quarter', yearly: 'year' };

export interface BudgetDates {
  period: BudgetPeriod;
  startDate: string;
  endDate: string | null;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The period a budget is in at `now`, as instants (`end` exclusive), in the user's time zone.
 *
 * - custom: from startDate 00:00 to the end of endDate (the day after, 00:00).
 * - weekly (Monday), monthly, quarterly, yearly: the calendar period containing now, clipped
 *   to start no earlier than startDate and to end no later than the end of endDate. Before
 *   startDate the first period is shown; after endDate the last period stands.
 */
export function currentPeriod(budget: BudgetDates, now: Date, timeZone: string): Period {
  const start = startOfLocalDay(budget.startDate, timeZone);
  const end = budget.endDate ? startOfLocalDay(nextDay(budget.endDate), timeZone) : null;
  if (budget.period === 'custom') return { start, end: end! };
  let at = now;
  if (end && at >= end) at = new Date(end.getTime() - 1);
  if (at < start) at = start;
  const period = periodOf(units[budget.period], at, timeZone);
  return {
    start: period.start < start ? start : period.start,
    end: end && end < period.end ? end : period.end,
  };
}

/** What keys a period in the crossings table: its first local day. */
export const periodKey = (period: Period, timeZone: string) => localDay(period.start, timeZone);
