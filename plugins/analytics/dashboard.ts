import type { z } from '@hono/zod-openapi';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { lastPeriods, localMonth, periodOf } from '../../core/calendar.ts';
import type { Platform } from '../../core/platform.ts';
import type { SpendingTotal } from '../../core/services.ts';
import { categoryBreakdown } from './categories.ts';
import { percent, roundMoney } from './numbers.ts';
import type { Dashboard } from './schemas.ts';

// Every stored date sorts between these (dates are ISO instants of the years 1900 to 2100).
const BEGINNING = '0000-01-01T00:00:00.000Z';
const END = '9999-12-31T23:59:59.999Z';

const amountOf = (rows: readonly SpendingTotal[], key: string, type: 'expense' | 'income') =>
  rows.find((r) => r.key === key && r.type === type)?.amount ?? 0;

const sumOf = (rows: readonly SpendingTotal[], type: 'expense' | 'income') =>
  rows.reduce((sum, r) => (r.type === type ? sum + r.amount : sum), 0);

/**
 * The dashboard in two aggregate queries: one over all time cut into before, each of the last
 * 12 months and after (both types; all time is their sum, so no day is read twice), one over
 * the current month per category (expenses only).
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
    platform.services.spending.totals({
      userId: user.id,
      currency,
      windows: [{ key: 'before', from: BEGINNING, to: months[0]!.from }, ...months, { key: 'after', from: months.at(-1)!.to, to: END }],
    }),
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
    totalBalance: roundMoney(sumOf(totals, 'income') - sumOf(totals, 'expense'), currency),
    monthlyIncome,
    monthlyExpenses,
    // No income this month: nothing of it was saved, and a rate of −∞ helps no one.
    savingsRate: monthlyIncome > 0 ? percent(monthlyIncome - monthlyExpenses, monthlyIncome) : 0,
    categoryBreakdown: categoryBreakdown(byCategory),
    monthlyTrend: months.map((m) => ({ month: m.key, income: amountOf(totals, m.key, 'income'), expenses: amountOf(totals, m.key, 'expense') })),
    // The windows cut all time without overlap: each entry is in one of them.
    pendingConversions: totals.reduce((n, r) => n + r.pendingCount, 0),
  };
}
