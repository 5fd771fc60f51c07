import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The append-only audit log: one row per row written in an audited table, made by the triggers
 * of core/audit/triggers.ts inside the write's own transaction (so no write of any plugin can
 * skip it). `hash` is filled after the commit by the sealer (core/audit/chain.ts): the SHA-256
 * of the previous row's hash and this row, so an edited or deleted row breaks the chain.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    // AUTOINCREMENT: ids are never reused, so a deleted row leaves a gap the verifier sees.
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    /**
     * Whose trail the row is in: the row's owner (its `user_id`; the user row itself) when the
     * table has one, so a write by another group member to your data shows in yours, not theirs;
     * else the signed-in user of the request (a group, a split, a goal's contribution).
     */
    userId: text('user_id'),
    /** The signed-in user of the request that wrote (null: a job, a sign-up, the OCR worker). */
    actorId: text('actor_id'),
    /** The table written. */
    entity: text('entity').notNull(),
    /** Its primary key; a composite key's parts joined by ":". */
    entityId: text('entity_id').notNull(),
    op: text('op', { enum: ['CREATE', 'UPDATE', 'DELETE'] }).notNull(),
    /** JSON object: for an update only the fields that changed; null for a create. Secrets read "[redacted]". */
    before: text('before'),
    /** JSON object: for an update only the fields that changed; null for a delete. */
    after: text('after'),
    requestId: text('request_id'),
    ip: text('ip'),
    /** Null until sealed. */
    hash: text('hash'),
  },
  (t) => [index('audit_log_user_idx').on(t.userId, t.id)],
);

export type AuditRow = typeof auditLog.$inferSelect;

/**
 * Who is writing: one row, written first in each write batch of a request and deleted last in
 * the same batch (core/audit/context.ts), read by the triggers. Batches are atomic and writes
 * are serialised, so a trigger only ever sees its own batch's row, or none (a job's write).
 */
export const auditContext = sqliteTable('audit_context', {
  id: integer('id').primaryKey(),
  userId: text('user_id'),
  requestId: text('request_id'),
  ip: text('ip'),
});

/**
 * The last sealed row: its id and hash. Rows deleted from the end of the log (where no later
 * row's hash would notice) are found by this pointer.
 */
export const auditHead = sqliteTable('audit_head', {
  id: integer('id').primaryKey(),
  lastId: integer('last_id').notNull(),
  lastHash: text('last_hash').notNull(),
});
