import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';

export const expenses = sqliteTable(
  'expense',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    description: text('description').notNull(),
    /** Integer minor units of `currency` (ISO 4217 precision). */
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** 10^digits of `currency`: lets SQL compare amounts across currencies (amount filters). */
    minorPerUnit: integer('minor_per_unit').notNull(),
    category: text('category').notNull(),
    type: text('type', { enum: ['expense', 'income'] }).notNull(),
    /** ISO 8601 instant in UTC; its first ten characters pick the exchange-rate day. */
    date: text('date').notNull(),
    notes: text('notes'),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    merchant: text('merchant'),
    paymentMethod: text('payment_method'),
    /** 1 when created, one more on each update: realtime sync's conflict check compares it. */
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  // One index serves both the newest-first list (user, date, id) and the spending service's
  // totals, which read only the columns after id from it (a covering index: no row lookups).
  (t) => [index('expense_user_date_idx').on(t.userId, t.date, t.id, t.type, t.category, t.currency, t.amountMinor, t.minorPerUnit)],
);

export const expenseCategories = sqliteTable(
  'expense_category',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'expense_category_pk', columns: [t.userId, t.name] })],
);

const dailyTotalColumns = () => ({
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  type: text('type', { enum: ['expense', 'income'] }).notNull(),
  /** The UTC day (YYYY-MM-DD): the expenses' rate day. */
  day: text('day').notNull(),
  currency: text('currency').notNull(),
  minorPerUnit: integer('minor_per_unit').notNull(),
  amountMinor: integer('amount_minor').notNull(),
  count: integer('count').notNull(),
});

/**
 * Daily totals per user, type, UTC day and currency (and category, in the second table), kept
 * by triggers on `expense` (migrations/0003_expense_day_triggers.sql) so that no write path
 * can forget them. The spending service sums whole days from these and reads only a window's
 * partial first and last days from `expense`: three years of 100,000 expenses are a few
 * thousand rows to add up. Both are created WITHOUT ROWID, so the key holds the sums, in the
 * order a window is read: one range per user and type, by day.
 */
export const expenseDays = sqliteTable('expense_day', dailyTotalColumns(), (t) => [
  primaryKey({ name: 'expense_day_pk', columns: [t.userId, t.type, t.day, t.currency] }),
]);

export const expenseCategoryDays = sqliteTable('expense_category_day', { ...dailyTotalColumns(), category: text('category').notNull() }, (t) => [
  primaryKey({ name: 'expense_category_day_pk', columns: [t.userId, t.type, t.day, t.currency, t.category] }),
]);
