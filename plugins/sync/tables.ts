import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';

/**
 * Tickets for the realtime socket: a long-lived token never goes in a URL, a ticket does. Only
 * the SHA-256 of a ticket is stored; using one deletes it (single use), and it lapses after 60 s.
 */
export const syncTickets = sqliteTable(
  'sync_ticket',
  {
    hash: text('hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: text('expires_at').notNull(),
  },
  (t) => [index('sync_ticket_expires_idx').on(t.expiresAt)],
);

/**
 * The operations of offline deltas (POST /api/sync/delta) already applied, per user, device and
 * the client's operation id: a repeated id is answered from here (and the change log, by `seq`),
 * never applied twice. Kept 30 days (swept in each delta's batch).
 */
export const syncOperations = sqliteTable(
  'sync_operation',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    deviceId: text('device_id').notNull(),
    opId: text('op_id').notNull(),
    op: text('op', { enum: ['create', 'update', 'delete'] }).notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    /**
     * applied | merged | deleted | discarded. NOT NULL is also the batch's guard: the insert
     * writes null, failing the whole batch, when another write was logged since the delta's read.
     */
    status: text('status', { enum: ['applied', 'merged', 'deleted', 'discarded'] }).notNull(),
    /** JSON of the conflict report, null without one. */
    conflict: text('conflict'),
    /** The change this operation logged (its data is the answer's `current`); null when it wrote nothing. */
    seq: integer('seq'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'sync_operation_pk', columns: [t.userId, t.deviceId, t.opId] }), index('sync_operation_created_idx').on(t.userId, t.createdAt)],
);
