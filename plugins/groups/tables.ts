import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';

export const SPLIT_METHODS = ['equal', 'exact', 'percentage', 'shares'] as const;
export const ROLES = ['admin', 'member'] as const;
export const LEDGER_KINDS = ['debt', 'payment'] as const;

// `group` is an SQL keyword: the table is named for what it holds instead.
export const groups = sqliteTable('expense_group', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description'),
  createdBy: text('created_by').notNull(),
  /** Fixed at creation: balances and settlements are shown in it. */
  currency: text('currency').notNull(),
  allowPublicExpenses: integer('allow_public_expenses', { mode: 'boolean' }).notNull(),
  requireApproval: integer('require_approval', { mode: 'boolean' }).notNull(),
  defaultSplitMethod: text('default_split_method', { enum: SPLIT_METHODS }).notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * One row per user who ever belonged to the group. A member who leaves or is removed keeps the
 * row with `is_active` 0: their ledger entries still name them, and balances still count them.
 */
export const groupMembers = sqliteTable(
  'group_member',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    isActive: integer('is_active', { mode: 'boolean' }).notNull(),
    joinedAt: text('joined_at').notNull(),
  },
  (t) => [primaryKey({ name: 'group_member_pk', columns: [t.groupId, t.userId] }), index('group_member_user_idx').on(t.userId, t.isActive)],
);

/** An email added to the group before it had an account: it becomes a membership at register. */
export const groupInvitations = sqliteTable(
  'group_invitation',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    /** Trimmed and lower-cased, as the auth plugin stores emails. */
    email: text('email').notNull(),
    invitedBy: text('invited_by').notNull(),
    invitedAt: text('invited_at').notNull(),
  },
  (t) => [primaryKey({ name: 'group_invitation_pk', columns: [t.groupId, t.email] }), index('group_invitation_email_idx').on(t.email)],
);

/** Links a group to expenses of its members (the expenses plugin owns the expense itself). */
export const groupExpenses = sqliteTable(
  'group_expense',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    expenseId: text('expense_id').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: text('added_at').notNull(),
  },
  (t) => [primaryKey({ name: 'group_expense_pk', columns: [t.groupId, t.expenseId] })],
);

/**
 * Debts and payments between members (LedgerEntry in core/services.ts), each in its own
 * currency: balances convert every entry at the rate of its own day, so a later rate never
 * rewrites an old debt.
 */
export const groupLedger = sqliteTable(
  'group_ledger',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
    fromUserId: text('from_user_id').notNull(),
    toUserId: text('to_user_id').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    /** 10^digits of `currency`, so SQL can convert minor units without a currency table. */
    minorPerUnit: integer('minor_per_unit').notNull(),
    date: text('date').notNull(),
    sourceId: text('source_id').notNull(),
    /** Who recorded a settlement and why; null for entries other plugins write. */
    recordedBy: text('recorded_by'),
    note: text('note'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('group_ledger_group_idx').on(t.groupId, t.kind, t.id)],
);
