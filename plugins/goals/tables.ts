import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';

export const GOAL_TYPES = ['savings', 'debt_reduction', 'investment', 'purchase', 'other'] as const;
export const GOAL_PRIORITIES = ['low', 'medium', 'high'] as const;
export const GOAL_STATUSES = ['active', 'completed', 'archived'] as const;

export const goals = sqliteTable(
  'goal',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description'),
    /** Integer minor units of `currency`, like every amount of the ledger (core/money.ts). */
    targetMinor: integer('target_minor').notNull(),
    /** Never below 0: every write guards it in SQL, never by a read-modify-write in JS. */
    currentMinor: integer('current_minor').notNull().default(0),
    /** Fixed at creation: the minor units above are counted in it. */
    currency: text('currency').notNull(),
    goalType: text('goal_type', { enum: GOAL_TYPES }).notNull(),
    /** YYYY-MM-DD, a day in the user's calendar. */
    targetDate: text('target_date'),
    priority: text('priority', { enum: GOAL_PRIORITIES }).notNull(),
    status: text('status', { enum: GOAL_STATUSES }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('goal_user_idx').on(t.userId, t.status, t.id)],
);

/** Every PATCH /contribute: positive adds, negative withdraws. */
export const goalContributions = sqliteTable(
  'goal_contribution',
  {
    id: text('id').primaryKey(),
    goalId: text('goal_id')
      .notNull()
      .references(() => goals.id, { onDelete: 'cascade' }),
    amountMinor: integer('amount_minor').notNull(),
    note: text('note'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('goal_contribution_goal_idx').on(t.goalId, t.id)],
);

/**
 * The levels (25, 50, 75, 100 percent) a goal has reached at least once. The primary key makes
 * "once per goal" hold under concurrent writes: only the insert that lands announces it.
 */
export const goalMilestones = sqliteTable(
  'goal_milestone',
  {
    goalId: text('goal_id')
      .notNull()
      .references(() => goals.id, { onDelete: 'cascade' }),
    milestone: integer('milestone').notNull(),
    reachedAt: text('reached_at').notNull(),
  },
  (t) => [primaryKey({ name: 'goal_milestone_pk', columns: [t.goalId, t.milestone] })],
);
