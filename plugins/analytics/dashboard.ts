import type { z } from '@hono/zod-openapi';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { lastPeriods, localMonth, periodOf } from '../../core/calendar.ts';
import type { Platform } from '../../core/platform.ts';
import type { SpendingTotal } from '../../core/services.ts';
import { categoryBreakdown } from './categories.ts';
import { percent, roundMoney } from './numbers.ts';
import type { Dashboard } from './schemas.ts';

// Every stored date sorts between these (dates are ISO instants of the years 1900 to 2100).
const ALL_TIME = { key: 'all', from: '0000-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' };

const amountOf = (rows: readonly SpendingTotal[], key: string, type: 'expense' | 'income') =>
  rows.find((r) => r.key === key && r.type === type)?.amount ?? 0;

/**
 * The dashboard in two aggregate queries: one over all time and each of the last 12 months
 * (both types), one over the current month per category (expenses only).
 */
export async function dashboard(platform: Platform, user: AuthUser): Promise<z.infer<typeof Dashboard>> {
  const { currency, timeZone } = user;
  const now = platform.clock.now();
  const months = lastPeriods('month', now, 12, timeZone).map((p) => ({
    key: localMonth(p.start, timeZone),
    from: p.start.toISOString(),
    to: p.end.toISOString(),
  }));
  const current = periodOf('month', now, timeZone);
  const [totals, byCategory] = await Promise.all([
    platform.services.spending.totals({ userId: user.id, currency, windows: [ALL_TIME, ...months] }),
    platform.services.spending.totals({
      userId: user.id,
      currency,
      windows: [{ key: 'month', from: current.start.toISOString(), to: current.end.toISOString() }],
      type: 'expense',
      groupBy: 'category',
    }),
  ]);

  const thisMonth = months.at(-1)!.key;
  const monthlyIncome = amountOf(totals, thisMonth, 'income');
  const monthlyExpenses = amountOf(totals, thisMonth, 'expense');
  return {
    totalBalance: roundMoney(amountOf(totals, 'all', 'income') - amountOf(totals, 'all', 'expense'), currency),
    monthlyIncome,
    monthlyExpenses,
    // No income this month: nothing of it was saved, and a rate of −∞ helps no one.
    savingsRate: monthlyIncome > 0 ? percent(monthlyIncome - monthlyExpenses, monthlyIncome) : 0,
    categoryBreakdown: categoryBreakdown(byCategory),
    monthlyTrend: months.map((m) => ({ month: m.key, income: amountOf(totals, m.key, 'income'), expenses: amountOf(totals, m.key, 'expense') })),
    // The all-time window holds every entry once.
    pendingConversions: totals.filter((r) => r.key === 'all').reduce((n, r) => n + r.pendingCount, 0),
  };
}
