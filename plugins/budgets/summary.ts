import type { z } from '@hono/zod-openapi';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { localDay } from '../../core/calendar.ts';
import { currencyInfo, fromMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import type { BudgetSummary } from './schemas.ts';
import { listBudgets } from './service.ts';

/**
 * Totals across the user's budgets in their display currency. Each budget's amount and spent
 * (already in the budget's currency) are converted with `platform.rates.pair` at the newest
 * rate on or before today in the user's zone, one lookup per foreign currency, and rounded
 * to the display currency's minor unit per budget before summing. A budget whose currency has
 * no rate held yet is left out of the money totals and counted in `unconvertedBudgets`; it
 * still counts by status and in pendingCount.
 */
export async function budgetSummary(platform: Platform, user: Pick<AuthUser, 'id' | 'currency' | 'timeZone'>): Promise<z.infer<typeof BudgetSummary>> {
  const views = await listBudgets(platform, user);
  const display = user.currency;
  const today = localDay(platform.clock.now(), user.timeZone);
  const foreign = [...new Set(views.map((v) => v.currency))].filter((c) => c !== display);
  const rates = new Map<string, number | null>([[display, 1]]);
  await Promise.all(foreign.map(async (c) => rates.set(c, (await platform.rates.pair(c, display, today))?.rate ?? null)));

  const scale = 10 ** currencyInfo(display)!.digits;
  let budgeted = 0;
  let spent = 0;
  let unconverted = 0;
  const byStatus = { on_track: 0, warning: 0, exceeded: 0 };
  let pending = 0;
  for (const v of views) {
    byStatus[v.status]++;
    pending += v.pendingCount;
    const rate = rates.get(v.currency);
    if (rate == null) {
      unconverted++;
      continue;
    }
    budgeted += Math.round(v.amount * rate * scale);
    spent += Math.round(v.spent * rate * scale);
  }
  return {
    currency: display,
    totalBudgeted: fromMinor(budgeted, display),
    totalSpent: fromMinor(spent, display),
    remaining: fromMinor(budgeted - spent, display),
    budgetCount: views.length,
    byStatus,
    pendingCount: pending,
    unconvertedBudgets: unconverted,
  };
}
