import { describe, expect, it } from 'vitest';
import { goalView, monthlyNeededMinor, progressOf } from './progress.ts';
import type { goals } from './tables.ts';

const row: typeof goals.$inferSelect = {
  id: 'g1',
  userId: 'u1',
  title: 'Trip',
  description: null,
  targetMinor: 120_000,
  currentMinor: 30_000,
  currency: 'USD',
  goalType: 'savings',
  targetDate: '2024-07-01',
  priority: 'medium',
  status: 'active',
  createdAt: '2024-01-01T00:00:00.000Z',
  updatedAt: '2024-01-01T00:00:00.000Z',
};

describe('goal progress', () => {
  it('rounds progress down, so 100 means reached', () => {
    expect(progressOf(1, 3)).toBe(33.33);
    expect(progressOf(99_999, 100_000)).toBe(99.99);
    expect(progressOf(100_000, 100_000)).toBe(100);
    expect(progressOf(150, 100)).toBe(150);
  });

  it('counts days left in the user’s time zone', () => {
    // 23:30 UTC on 30 June is already 1 July in Auckland.
    const now = new Date('2024-06-30T23:30:00Z');
    expect(goalView(row, now, 'UTC').daysLeft).toBe(1);
    expect(goalView(row, now, 'Pacific/Auckland').daysLeft).toBe(0);
    expect(goalView(row, new Date('2024-07-03T12:00:00Z'), 'UTC').daysLeft).toBe(-2);
    expect(goalView({ ...row, targetDate: null }, now, 'UTC')).toMatchObject({ daysLeft: null, monthlyNeeded: null });
  });

  it('spreads what is left over the months left, rounded up to the cent', () => {
    // 900.00 left, 2024-01-01 to 2024-07-01 = 182 days = 6 months (ceil(182 / 30.4375)).
    expect(goalView(row, new Date('2024-01-01T10:00:00Z'), 'UTC')).toMatchObject({ remainingAmount: 900, monthlyNeeded: 150, progress: 25 });
    expect(monthlyNeededMinor(100, 91)).toBe(34); // 3 months: 33.33… rounded up
    expect(monthlyNeededMinor(500, 10)).toBe(500); // due within a month: all of it
    expect(monthlyNeededMinor(500, -30)).toBe(500); // overdue: all of it now
    expect(monthlyNeededMinor(0, 100)).toBe(0);
    expect(goalView({ ...row, currentMinor: 130_000 }, new Date('2024-01-01T10:00:00Z'), 'UTC')).toMatchObject({ remainingAmount: 0, monthlyNeeded: 0 });
  });
});
