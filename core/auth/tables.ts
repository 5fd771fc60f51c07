import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Identity is platform, not domain: every plugin's routes need the signed-in user and their
 * display settings, so the table lives in core beside the JWT and password code.
 */
export const users = sqliteTable(
  'user',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    currency: text('currency').notNull().default('USD'),
    timeZone: text('time_zone').notNull().default('UTC'),
    language: text('language').notNull().default('en'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('user_email_unique').on(t.email)],
);

export type UserRow = typeof users.$inferSelect;
