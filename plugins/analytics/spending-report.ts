import type { z } from '@hono/zod-openapi';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { daysBetween, localDay, localMonth, periodOf, shift, startOfLocalDay, type Period } from '../../core/calendar.ts';
import type { Platform } from '../../core/platform.ts';
import type { SpendingTotal } from '../../core/services.ts';
import { categoryBreakdown } from './categories.ts';
import { percent, roundMoney } from './numbers.ts';
import type { PERIODS, SpendingReport } from './schemas.ts';

const units = { weekly: 'week', monthly: 'month', yearly: 'year' } as const;
const TOP_MERCHANTS = 5;

const window = (key: string, p: Period) => ({ key, from: p.start.toISOString(), to: p.end.toISOString() });
const amountOf = (rows: readonly SpendingTotal[], key: string, type: 'expense' | 'income') =>
  rows.find((r) => r.key === key && r.type === type)?.amount ?? 0;
// The end is exclusive: the last day is the one of the instant before it.
const lastDayOf = (p: Period, timeZone: string) => localDay(new Date(p.end.getTime() - 1), timeZone);

/** Day buckets for a week or a month, month buckets for a year; each keyed by its local day or month. */
function bucketsOf(period: Period, unit: 'day' | 'month', timeZone: string) {
  const buckets: { key: string; period: Period }[] = [];
  for (let start = period.start; start < period.end; start = shift(unit, start, 1, timeZone)) {
    const bucket = periodOf(unit, start, timeZone);
    buckets.push({ key: unit === 'day' ? localDay(start, timeZone) : localMonth(start, timeZone), period: bucket });
  }
  return buckets;
}

/**
 * Spending over the week, month or year containing `date` (a local day) or now, in three
 * aggregate queries: the buckets, the period and the one before it (both types); the period
 * per category; its top merchants.
 */
export async function spendingReport(
  platform: Platform,
  user: AuthUser,
  name: (typeof PERIODS)[number],
  date: string | undefined,
): Promise<z.infer<typeof SpendingReport>> {
  const { currency, timeZone } = user;
  const unit = units[name];
  const now = platform.clock.now();
  const period = periodOf(unit, date ? startOfLocalDay(date, timeZone) : now, timeZone);
  const previous = periodOf(unit, shift(unit, period.start, -1, timeZone), timeZone);
  const bucketUnit = unit === 'year' ? 'month' : 'day';
  const buckets = bucketsOf(period, bucketUnit, timeZone);

  const current = window('current', period);
  const query = { userId: user.id, currency } as const;
  const [totals, byCategory, merchants] = await Promise.all([
    platform.services.spending.totals({ ...query, windows: [current, window('previous', previous), ...buckets.map((b) => window(b.key, b.period))] }),
    platform.services.spending.totals({ ...query, windows: [current], type: 'expense', groupBy: 'category' }),
    // One more than shown: expenses without a merchant form a group of their own, dropped below.
    platform.services.spending.totals({ ...query, windows: [current], type: 'expense', groupBy: 'merchant', top: TOP_MERCHANTS + 1 }),
  ]);

  const totalSpent = amountOf(totals, 'current', 'expense');
  const previousSpent = amountOf(totals, 'previous', 'expense');
  const periodDays = daysBetween(period.start, period.end, timeZone);
  // A period under way is averaged over its days so far, today included.
  const daysCounted = now >= period.start && now < period.end ? daysBetween(period.start, now, timeZone) + 1 : periodDays;
  return {
    period: name,
    currency,
    timeZone,
    firstDay: localDay(period.start, timeZone),
    lastDay: lastDayOf(period, timeZone),
    totalSpent,
    totalIncome: amountOf(totals, 'current', 'income'),
    averagePerDay: roundMoney(totalSpent / daysCounted, currency),
    daysCounted,
    bucketUnit,
    buckets: buckets.map((b) => ({ bucket: b.key, spent: amountOf(totals, b.key, 'expense'), income: amountOf(totals, b.key, 'income') })),
    byCategory: categoryBreakdown(byCategory),
    topMerchants: merchants
      .filter((m) => m.group !== null && m.count > 0)
      .slice(0, TOP_MERCHANTS)
      .map((m) => ({ merchant: m.group!, amount: m.amount, count: m.count })),
    previous: { firstDay: localDay(previous.start, timeZone), lastDay: lastDayOf(previous, timeZone), totalSpent: previousSpent },
    change: {
      amount: roundMoney(totalSpent - previousSpent, currency),
      percent: previousSpent > 0 ? percent(totalSpent - previousSpent, previousSpent) : null,
    },
    pendingConversions: totals.filter((r) => r.key === 'current').reduce((n, r) => n + r.pendingCount, 0),
  };
}
