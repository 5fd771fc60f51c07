import { z } from '@hono/zod-openapi';
import { CurrencyCode, Instant, Integer } from '../../core/schemas.ts';
import { BUDGET_PERIODS } from './tables.ts';

export const MAX_BUDGETS_PER_USER = 100;
export const STATUSES = ['on_track', 'warning', 'exceeded'] as const;

const Name = z.string().trim().min(1).max(100).openapi({ example: 'Monthly Food Budget' });

// The expenses plugin's category rule, restated: a plugin does not import another's files.
// The name is not checked against the user's categories (they live in expenses); a budget
// for a category nobody spends in simply stays at 0.
const Category = z
  .string()
  .trim()
  .toLowerCase()
  .max(40)
  .refine((name) => /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u.test(name), 'must be 1 to 40 letters, digits, spaces, - or _')
  .nullable()
  .openapi({ example: 'food', description: 'The expense category counted; null or absent: every category' });

const Amount = z
  .number()
  .positive()
  .lt(1e12)
  .openapi({ example: 500, description: 'Positive, below 10^12, no more decimals than the currency allows' });

const Period = z.enum(BUDGET_PERIODS).openapi({ description: 'weekly (Monday to Sunday), monthly, quarterly, yearly, or custom (startDate to endDate)' });

const Day = z.iso
  .date()
  .refine((d) => d >= '1900-01-01' && d <= '2100-12-31', 'must be between 1900 and 2100')
  // The format admits exactly 10 characters; said as maxLength, since `.max(10)` would add a
  // second issue to every malformed day.
  .openapi({ maxLength: 10, example: '2024-01-01', description: "YYYY-MM-DD, a day in the user's time zone" });

const Threshold = Integer(1, 100).openapi({ example: 80, description: 'Percent of the amount at which the budget turns to warning' });

const budgetFields = {
  name: Name,
  category: Category,
  amount: Amount,
  currency: CurrencyCode.openapi({ description: "ISO 4217 code; defaults to the user's display currency" }),
  period: Period,
  startDate: Day,
  endDate: Day.nullable().openapi({ description: 'Inclusive; required for custom; on or after startDate' }),
  alertThreshold: Threshold,
};

export const CreateBudgetBody = z
  .object({
    ...budgetFields,
    category: budgetFields.category.optional(),
    currency: budgetFields.currency.optional(),
    startDate: budgetFields.startDate.optional().openapi({ description: "Defaults to today in the user's time zone" }),
    endDate: budgetFields.endDate.optional(),
    alertThreshold: budgetFields.alertThreshold.default(80),
  })
  .openapi('CreateBudgetRequest');

export const UpdateBudgetBody = z
  .object(budgetFields)
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change')
  .openapi('UpdateBudgetRequest', { minProperties: 1 });

const Money = z.number().min(-1e13).max(1e13);
const Count = Integer(0, 1e9);

export const Budget = z
  .object({
    _id: z.string().max(64).openapi({ example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' }),
    name: z.string().max(100),
    category: z.string().max(40).nullable(),
    amount: Money.openapi({ example: 500 }),
    currency: z.string().length(3).openapi({ example: 'USD' }),
    period: Period,
    startDate: z.string().max(10).openapi({ example: '2024-01-01' }),
    endDate: z.string().max(10).nullable(),
    alertThreshold: Threshold,
    spent: Money.openapi({
      example: 412.5,
      description: "Expenses (not income) of the category in the current period, each converted into the budget's currency at the rate of its own day",
    }),
    remaining: Money.openapi({ example: 87.5, description: 'amount − spent; negative once exceeded' }),
    percentageUsed: z.number().min(0).max(1e15).openapi({ example: 82.5, description: 'spent / amount × 100, two decimals' }),
    status: z.enum(STATUSES).openapi({ description: 'exceeded from 100%, warning from alertThreshold, else on_track' }),
    pendingCount: Count.openapi({ description: 'Expenses of the period whose exchange rate is not held yet: not in spent' }),
    periodStart: Instant.openapi({ description: "First instant of the current period (user's time zone)" }),
    periodEnd: Instant.openapi({ description: 'End of the current period, exclusive' }),
    version: Integer(1, Number.MAX_SAFE_INTEGER).openapi({ description: '1 when created, one more on each update (realtime sync)' }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('Budget');

export const BudgetList = z.array(Budget).max(MAX_BUDGETS_PER_USER).openapi('BudgetList');

export const BudgetIdParam = z.object({
  id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' }),
});

export const BudgetSummary = z
  .object({
    currency: z.string().length(3).openapi({ example: 'USD', description: "The user's display currency" }),
    totalBudgeted: Money,
    totalSpent: Money,
    remaining: Money.openapi({ description: 'totalBudgeted − totalSpent' }),
    budgetCount: Count,
    byStatus: z.object({ on_track: Count, warning: Count, exceeded: Count }),
    pendingCount: Count.openapi({ description: 'Expenses not yet converted, summed over the budgets' }),
    unconvertedBudgets: Count.openapi({
      description: 'Budgets left out of the totals because no rate into the display currency is held yet',
    }),
  })
  .openapi('BudgetSummary', {
    description: "Every budget's amount, spent and remaining converted into the display currency at the newest rate on or before today",
  });
