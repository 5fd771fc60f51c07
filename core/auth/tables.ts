import { eq, sql, type Placeholder } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client.ts';

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
     * Raised in the same batch as every write to the user's own data, so a cached read keyed
     * on it can never outlive a change, in any process or isolate. It is also the change log's
     * `seq`: the changes port (core/changes/port.ts) raises it with each row it appends.
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

/**
 * The statement that marks the user's data as changed, for writes to entities that are not
 * synced yet (budgets): put it in the write's `db.batch`. A synced entity's write records its
 * change through `platform.changes` instead, which raises the counter itself.
 */
export const bumpDataVersion = (db: Database, userId: string | Placeholder) =>
  db
    .update(users)
    .set({ dataVersion: sql`${users.dataVersion} + 1` })
    .where(eq(users.id, userId));
