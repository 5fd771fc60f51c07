import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';
import { SPLIT_METHODS } from './arithmetic.ts';

export const SPLIT_STATUSES = ['pending', 'partial', 'settled'] as const;

/**
 * An expense split among members of a group. The expense and the group belong to other plugins:
 * they are referred to by id only (no foreign key into their tables), and what a split shows of
 * them is copied here at creation, because the split's shares and ledger entries are fixed then.
 */
export const splits = sqliteTable(
  'split',
  {
    id: text('id').primaryKey(),
    /** Unique: an expense is split at most once, however many requests race to split it. */
    expenseId: text('expense_id').notNull(),
    groupId: text('group_id').notNull(),
    groupName: text('group_name').notNull(),
    /** The expense's owner, who paid it all; every other participant owes them their share. */
    payerId: text('payer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    method: text('method', { enum: SPLIT_METHODS }).notNull(),
    notes: text('notes'),
    description: text('description').notNull(),
    category: text('category').notNull(),
    /** The expense's amount in integer minor units of `currency`: the shares add up to it exactly. */
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** The expense's date (ISO 8601 UTC): its day picks the rate for converted totals. */
    expenseDate: text('expense_date').notNull(),
    /** Kept by SQL in the batch of every payment (never a read-modify-write in JS). */
    status: text('status', { enum: SPLIT_STATUSES }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('split_expense_unique').on(t.expenseId), index('split_payer_idx').on(t.payerId, t.status, t.id)],
);

/** One participant's share of a split. */
export const splitShares = sqliteTable(
  'split_share',
  {
    splitId: text('split_id')
      .notNull()
      .references(() => splits.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The participant's place in the split: the order the leftover units of the division went in. */
    position: integer('position').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    /** Basis points for a percentage split, the count for a shares split, else null. */
    weight: integer('weight'),
  },
  (t) => [primaryKey({ name: 'split_share_pk', columns: [t.splitId, t.userId] }), index('split_share_user_idx').on(t.userId, t.splitId)],
);

/**
 * A share paid. The primary key makes paying a share exactly-once: a second payment of the same
 * share fails its whole batch, ledger entry included, however close together the two arrive.
 */
export const splitPayments = sqliteTable(
  'split_payment',
  {
    splitId: text('split_id')
      .notNull()
      .references(() => splits.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The participant, or the payer who marked it for them. */
    markedBy: text('marked_by').notNull(),
    paidAt: text('paid_at').notNull(),
  },
  (t) => [primaryKey({ name: 'split_payment_pk', columns: [t.splitId, t.userId] })],
);

/**
 * The last reminder sent to a participant about a split. One row per participant and split,
 * moved forward only by a conditional upsert: at most one reminder per 24 hours, under races too.
 */
export const splitReminders = sqliteTable(
  'split_reminder',
  {
    splitId: text('split_id')
      .notNull()
      .references(() => splits.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sentAt: text('sent_at').notNull(),
    /** How many reminders this participant got about this split. */
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ name: 'split_reminder_pk', columns: [t.splitId, t.userId] })],
);
