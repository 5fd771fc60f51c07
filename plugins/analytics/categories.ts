import type { SpendingTotal } from '../../core/services.ts';
import { shares } from './numbers.ts';

/**
 * Category totals (the spending service's rows grouped by category) as a breakdown, largest
 * first. A category whose every expense still waits for its rate sums to nothing yet: left out.
 */
export function categoryBreakdown(rows: readonly SpendingTotal[]) {
  const counted = rows
    .filter((r) => r.count > 0)
    .map((r) => ({ category: r.group ?? 'other', amount: r.amount }))
    .sort((a, b) => b.amount - a.amount || a.category.localeCompare(b.category));
  const percentages = shares(counted.map((c) => c.amount));
  return counted.map((c, i) => ({ ...c, percentage: percentages[i]! }));
}
