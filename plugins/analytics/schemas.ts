import { z } from '@hono/zod-openapi';
import { Integer } from '../../core/schemas.ts';

// Sums of many amounts below 10^12 each: bounded generously, documented as such.
const Money = z.number().min(-1e15).max(1e15);
const Percent = z.number().min(0).max(100);
const Count = Integer(0, Number.MAX_SAFE_INTEGER);
const LocalDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).max(10);
const LocalMonth = z.string().regex(/^\d{4}-\d{2}$/).max(7);

const pendingConversions = Count.openapi({
  description: "Entries in a foreign currency whose exchange rate for their day is not held yet: left out of every sum until it is",
  example: 0,
});

export const CategoryShare = z
  .object({
    category: z.string().max(40).openapi({ example: 'food' }),
    amount: Money.openapi({ example: 800 }),
    percentage: Percent.openapi({
      example: 25,
      description: 'Share of the expenses, 2 decimals; the shares of one answer add up to exactly 100 (largest remainder)',
    }),
  })
  .openapi('CategoryShare');

export const Dashboard = z
  .object({
    totalBalance: Money.openapi({ example: 15420.5, description: 'All income minus all expenses, whatever their date' }),
    monthlyIncome: Money.nonnegative().openapi({ example: 5000, description: "Income of the current month (the user's time zone)" }),
    monthlyExpenses: Money.nonnegative().openapi({ example: 3200, description: 'Expenses of the current month' }),
    savingsRate: z.number().min(-1e20).max(100).openapi({
      example: 36,
      description: '(monthlyIncome − monthlyExpenses) ÷ monthlyIncome × 100, 2 decimals; negative when spending exceeds income; 0 when there is no income this month',
    }),
    categoryBreakdown: z
      .array(CategoryShare)
      .max(1000)
      .openapi({ description: "The current month's expenses per category, largest first" }),
    monthlyTrend: z
      .array(
        z.object({
          month: LocalMonth.openapi({ example: '2024-01' }),
          income: Money.nonnegative().openapi({ example: 5000 }),
          expenses: Money.nonnegative().openapi({ example: 3200 }),
        }),
      )
      // min and max rather than length: the generator writes no minItems/maxItems for a length.
      .min(12)
      .max(12)
      .openapi({ description: 'The last 12 months, oldest first, the current one last; months without entries are 0' }),
    pendingConversions,
  })
  .openapi('Dashboard', {
    description: "Every amount is in the user's display currency, rounded to its minor unit; months are calendar months in the user's time zone",
  });

export const PERIODS = ['weekly', 'monthly', 'yearly'] as const;

export const SpendingPeriodParam = z.object({
  period: z.enum(PERIODS).openapi({ param: { name: 'period', in: 'path' }, example: 'monthly' }),
});

export const SpendingQuery = z.object({
  date: z.iso
    .date()
    .max(10)
    .refine((d) => d >= '1900-01-01' && d <= '2100-12-31', 'must be between 1900 and 2100')
    .optional()
    .openapi({
      param: { name: 'date', in: 'query' },
      example: '2025-04-20',
      description: "A day (YYYY-MM-DD) in the user's time zone: the period containing it; today when absent",
    }),
});

const Bucket = z
  .object({
    bucket: z.union([LocalDay, LocalMonth]).openapi({ example: '2025-04-01', description: 'The day (YYYY-MM-DD) or month (YYYY-MM)' }),
    spent: Money.nonnegative().openapi({ example: 42.5 }),
    income: Money.nonnegative().openapi({ example: 0 }),
  })
  .openapi('SpendingBucket');

export const SpendingReport = z
  .object({
    period: z.enum(PERIODS),
    currency: z.string().max(3).openapi({ example: 'EUR', description: "The user's display currency: every amount is in it, rounded to its minor unit" }),
    timeZone: z.string().max(64).openapi({ example: 'Europe/Berlin', description: 'Days and months are calendar days and months in this zone' }),
    firstDay: LocalDay.openapi({ example: '2025-04-01', description: 'First day of the period (Monday for a week)' }),
    lastDay: LocalDay.openapi({ example: '2025-04-30', description: 'Last day of the period, included' }),
    totalSpent: Money.nonnegative().openapi({ example: 1234.56, description: 'Expenses of the period (income not subtracted)' }),
    totalIncome: Money.nonnegative().openapi({ example: 3000 }),
    averagePerDay: Money.nonnegative().openapi({ example: 61.73, description: 'totalSpent ÷ daysCounted, rounded to the minor unit' }),
    daysCounted: Integer(1, 366).openapi({
      example: 20,
      description: "The period's days up to and including today; every day of a period that is over or has not begun",
    }),
    bucketUnit: z.enum(['day', 'month']).openapi({ description: 'day for weekly and monthly, month for yearly' }),
    buckets: z.array(Bucket).max(31).openapi({ description: 'Every day or month of the period in order, empty ones as 0' }),
    byCategory: z.array(CategoryShare).max(1000).openapi({ description: "The period's expenses per category, largest first" }),
    topMerchants: z
      .array(
        z.object({
          merchant: z.string().max(200).openapi({ example: 'Rewe' }),
          amount: Money.nonnegative().openapi({ example: 320.1 }),
          count: Count.openapi({ example: 12, description: 'Expenses counted in amount' }),
        }),
      )
      .max(5)
      .openapi({ description: 'The 5 merchants spent most at, largest first (expenses without a merchant left out)' }),
    previous: z
      .object({
        firstDay: LocalDay,
        lastDay: LocalDay,
        totalSpent: Money.nonnegative(),
      })
      .openapi({ description: 'The period before: the previous week, month or year' }),
    change: z
      .object({
        amount: Money.openapi({ example: -120.5, description: 'totalSpent − previous.totalSpent' }),
        percent: z.number().min(-100).max(1e20).nullable().openapi({
          example: -8.9,
          description: 'amount ÷ previous.totalSpent × 100, 2 decimals; null when the previous period spent nothing',
        }),
      })
      .openapi({ description: 'Against the previous period' }),
    pendingConversions: pendingConversions.openapi({ description: 'Entries of this period (expenses or income) whose rate is not held yet: left out of every sum' }),
  })
  .openapi('SpendingReport');
