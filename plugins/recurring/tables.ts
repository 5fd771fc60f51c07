import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';

export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * A schedule of expenses. Occurrence n falls on start + n × interval units (schedule.ts): counted
 * from the start, not from the last one, so the 31st comes back as the 31st after a short
 * month's last day. `next_index`/`next_date` name the next occurrence to create, null once past
 * `end_date`. Days are the user's calendar days (their time zone).
 */
export const recurringExpenses = sqliteTable(
  'recurring_expense',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    description: text('description').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    category: text('category').notNull(),
    type: text('type', { enum: ['expense', 'income'] }).notNull(),
    frequency: text('frequency', { enum: FREQUENCIES }).notNull(),
    interval: integer('interval').notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    nextIndex: integer('next_index').notNull(),
    nextDate: text('next_date'),
    paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
    /** Why the last try to create an occurrence failed (say, its category was deleted); null after a success. */
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('recurring_expense_user_idx').on(t.userId, t.id), index('recurring_expense_due_idx').on(t.paused, t.nextDate)],
);

/**
 * One row per occurrence created, written in the expense's own batch: its primary key is what
 * makes each occurrence exactly once, whatever runs overlap or repeat.
 */
export const recurringOccurrences = sqliteTable(
  'recurring_occurrence',
  {
    recurringId: text('recurring_id')
      .notNull()
      .references(() => recurringExpenses.id, { onDelete: 'cascade' }),
    date: text('date').notNull(),
    /** No foreign key: the expense belongs to the expenses plugin, and its deletion must not bring the occurrence back. */
    expenseId: text('expense_id').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'recurring_occurrence_pk', columns: [t.recurringId, t.date] })],
);
