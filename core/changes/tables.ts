import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../auth/tables.ts';

/**
 * Each user's change log: one row per create, update or delete of a synced entity, appended in
 * the write's own batch by the changes port (core/changes/port.ts), never by a plugin. `seq`
 * is the user's `data_version` after the change: strictly increasing per user and gap-free,
 * because only the log's own trigger moves that counter, to the seq of each row appended
 * (migrations/0018_change_log_moves_user.sql).
 */
export const changeLog = sqliteTable(
  'change_log',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    /** `expense`, `category`, `settings`, …: the realtime event is `<entity>_<created|updated|deleted>`. */
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    op: text('op', { enum: ['CREATE', 'UPDATE', 'DELETE'] }).notNull(),
    /** The entity's version after the change (a delete's is one more than the last). */
    version: integer('version').notNull(),
    /** JSON text of the entity after the change; null for a delete. */
    data: text('data'),
    /** The X-Device-Id of the request that made it: that device gets no echo. */
    deviceId: text('device_id'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'change_log_pk', columns: [t.userId, t.seq] }), index('change_log_entity_idx').on(t.userId, t.entity, t.entityId)],
);
