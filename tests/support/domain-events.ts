import type { DomainEvents } from '../../core/events.ts';

/** A budget's `exceeded` crossing (560 of 500, 112%) for `userId`, changed where a test says. */
export const budgetExceeded = (userId: string, change: Partial<DomainEvents['budget.threshold_crossed']> = {}): DomainEvents['budget.threshold_crossed'] => ({
  userId,
  budgetId: 'b1',
  name: 'Food',
  level: 'exceeded',
  threshold: 80,
  percentageUsed: 112,
  spent: 560,
  amount: 500,
  currency: 'USD',
  periodStart: '2026-03-01T00:00:00.000Z',
  periodEnd: '2026-04-01T00:00:00.000Z',
  ...change,
});
