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
