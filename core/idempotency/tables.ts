import { integer, index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../auth/tables.ts';

/**
 * One Idempotency-Key of one user (core/idempotency/middleware.ts): claimed by the first request
 * that carries it (`running`), then holding that request's answer (`done`) until it expires,
 * 24 hours after the claim.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_key',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** Hex SHA-256 of the method, the path with its query and the body: a retry must match it. */
    requestHash: text('request_hash').notNull(),
    state: text('state', { enum: ['running', 'done'] }).notNull(),
    status: integer('status'),
    contentType: text('content_type'),
    body: text('body'),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key], name: 'idempotency_key_pk' }), index('idempotency_key_expires_idx').on(t.expiresAt)],
);
