import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    /**
     * The change log's `seq`: raised only by the changes port (core/changes/port.ts), in the
     * write's own batch, with the log row that carries it. Every write of a synced entity
     * (expenses, categories, settings, budgets) raises it, so a cached read keyed on it can
     * never outlive such a change, in any process or isolate.
     */
    dataVersion: integer('data_version').notNull().default(0),
    /** The version of the user's settings (name, currency, time zone, language), a synced entity. */
    settingsVersion: integer('settings_version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('user_email_unique').on(t.email)],
);

export type UserRow = typeof users.$inferSelect;
