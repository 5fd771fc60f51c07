import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';

export const BUDGET_PERIODS = ['weekly', 'monthly', 'quarterly', 'yearly', 'custom'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export const budgets = sqliteTable(
  'budget',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** NULL: every category. */
    category: text('category'),
    /** Integer minor units of `currency` (ISO 4217 precision). */
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    period: text('period', { enum: BUDGET_PERIODS }).notNull(),
    /** Local calendar days (YYYY-MM-DD) in the user's time zone; `endDate` is inclusive. */
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    /** Percent of `amount` (1-100) at which the budget turns to `warning`. */
    alertThreshold: integer('alert_threshold').notNull(),
    /** 1 when created, one more on each update (realtime sync). */
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  // Every read is "this user's budgets"; the re-check job pages through users by it too.
  (t) => [index('budget_user_idx').on(t.userId, t.id)],
);

export type BudgetRow = typeof budgets.$inferSelect;

/**
 * One row per level a budget reached within one of its periods. The primary key is the
 * once-only guard: whoever inserts the row (`on conflict do nothing returning`) emits the event.
 */
export const budgetCrossings = sqliteTable(
  'budget_crossing',
  {
    budgetId: text('budget_id')
      .notNull()
      .references(() => budgets.id, { onDelete: 'cascade' }),
    /** The period's first local day (YYYY-MM-DD): a change of time zone does not open a new period. */
    periodStart: text('period_start').notNull(),
    level: text('level', { enum: ['warning', 'exceeded'] }).notNull(),
    crossedAt: text('crossed_at').notNull(),
  },
  (t) => [primaryKey({ name: 'budget_crossing_pk', columns: [t.budgetId, t.periodStart, t.level] })],
);
