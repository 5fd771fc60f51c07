import type { z } from '@hono/zod-openapi';
import type { Period } from '../../core/calendar.ts';
import { currencyInfo, fromMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import type { SpendingTotal } from '../../core/services.ts';
import { currentPeriod } from './periods.ts';
import type { Budget } from './schemas.ts';
import type { BudgetRow } from './tables.ts';

export type BudgetView = z.infer<typeof Budget>;

/** Whose budgets: the owner's time zone sets the periods, the display currency the summary. */
export interface BudgetOwner {
  id: string;
  currency: string;
  timeZone: string;
}

export interface Evaluated {
  row: BudgetRow;
  period: Period;
  view: BudgetView;
}

const scale = (currency: string) => 10 ** currencyInfo(currency)!.digits;

/**
 * Exact in minor units, so a threshold is met at the cent it is met: exceeded from 100%
 * (spent ≥ amount), warning from alertThreshold percent, else on_track.
 */
export function statusOf(spentMinor: number, amountMinor: number, threshold: number): BudgetView['status'] {
  if (spentMinor >= amountMinor) return 'exceeded';
  if (spentMinor * 100 >= amountMinor * threshold) return 'warning';
  return 'on_track';
}

/**
 * Each budget with what was spent in its current period, from the spending service (never the
 * expense table). The service converts into one currency per call, so there is one call per
 * currency the budgets are in, each with one window per budget: one call when they share a
 * currency, the common case.
 */
export async function evaluate(platform: Platform, owner: BudgetOwner, rows: readonly BudgetRow[]): Promise<Evaluated[]> {
  const now = platform.clock.now();
  const periods = rows.map((row) => currentPeriod(row, now, owner.timeZone));
  const byCurrency = new Map<string, number[]>();
  rows.forEach((row, i) => byCurrency.set(row.currency, [...(byCurrency.get(row.currency) ?? []), i]));

  const totals = new Map<string, SpendingTotal>();
  await Promise.all(
    [...byCurrency].map(async ([currency, indexes]) => {
      const windows = indexes.map((i) => ({
        key: rows[i]!.id,
        from: periods[i]!.start.toISOString(),
        to: periods[i]!.end.toISOString(),
        ...(rows[i]!.category !== null && { category: rows[i]!.category! }),
      }));
      for (const t of await platform.services.spending.totals({ userId: owner.id, currency, windows, type: 'expense' })) totals.set(t.key, t);
    }),
  );

  return rows.map((row, i) => {
    const period = periods[i]!;
    const total = totals.get(row.id);
    // The service rounds to the currency's minor unit, so this is exact.
    const spentMinor = Math.round((total?.amount ?? 0) * scale(row.currency));
    const view: BudgetView = {
      _id: row.id,
      name: row.name,
      category: row.category,
      amount: fromMinor(row.amountMinor, row.currency),
      currency: row.currency,
      period: row.period,
      startDate: row.startDate,
      endDate: row.endDate,
      alertThreshold: row.alertThreshold,
      spent: fromMinor(spentMinor, row.currency),
      remaining: fromMinor(row.amountMinor - spentMinor, row.currency),
      percentageUsed: Math.round((spentMinor * 10_000) / row.amountMinor) / 100,
      status: statusOf(spentMinor, row.amountMinor, row.alertThreshold),
      pendingCount: total?.pendingCount ?? 0,
      periodStart: period.start.toISOString(),
      periodEnd: period.end.toISOString(),
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
    return { row, period, view };
  });
}
