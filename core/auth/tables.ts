import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    /**
     * The events feed's cursor (core/feed/tables.ts): raised only where an event is stored, in
     * the same transaction (the feed port; the change log's trigger for expense and budget
     * events). Its own counter, not data_version: feed events that are no synced change (a
     * budget crossing, a goal achieved) must not open gaps in the change log.
     */
    eventSeq: integer('event_seq').notNull().default(0),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('user_email_unique').on(t.email)],
);

export type UserRow = typeof users.$inferSelect;

/**
 * A sign-in: each login (and the register that signs a user in) makes one, and its id rides in
 * the token (`sid`). requireAuth reads it on every request, so a revoked session's token is
 * refused at its next request on every host, whatever any process remembers of the token.
 */
export const sessions = sqliteTable(
  'session',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    deviceName: text('device_name').notNull(),
    /** The client's address at sign-in, as the host saw it (null when it could not tell). */
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: text('created_at').notNull(),
    /** Refreshed at most once a minute by requireAuth: a write per request would cost more than the request. */
    lastSeenAt: text('last_seen_at').notNull(),
    /** The token's own `exp`: past it the session is over by itself. */
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('session_user_idx').on(t.userId, t.createdAt)],
);

export type SessionRow = typeof sessions.$inferSelect;

/**
 * An API key: a long-lived secret a user makes for a script or an integration, limited to
 * scopes (core/auth/scopes.ts). Only the SHA-256 of the secret is kept; requireAuth finds a key
 * by it, so the table is core's, as the sessions are. A deleted key is a deleted row.
 */
export const apiKeys = sqliteTable(
  'api_key',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Hex SHA-256 of the whole secret (prefix included). */
    hash: text('hash').notNull(),
    /** The secret's first characters after the prefix, so the user can tell keys apart in the list. */
    hint: text('hint').notNull(),
    /** The scopes, as a JSON array of `<resource>:read|write`. */
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: text('created_at').notNull(),
    /** Null: the key does not expire. */
    expiresAt: text('expires_at'),
    /** Refreshed at most once a minute per key, like a session's last seen. */
    lastUsedAt: text('last_used_at'),
  },
  (t) => [uniqueIndex('api_key_hash_unique').on(t.hash), index('api_key_user_idx').on(t.userId, t.createdAt)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
