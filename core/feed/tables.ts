import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../auth/tables.ts';

/**
 * Each user's events feed: one row per domain event, `seq` taken from `user.event_seq` by the
 * feed port (core/feed/port.ts) in the statement batch that stores the event. SQLite (and sqld,
 * and Turso) commit one write transaction at a time, and the counter is raised inside it, so a
 * seq is visible only after every smaller seq of that user: a reader paging by `seq > after`
 * never skips an event that commits later with a smaller number. Rows older than 30 days are
 * deleted by the events plugin's retention job; the counter never goes back.
 */
export const eventFeed = sqliteTable(
  'event_feed',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    /** `expense.created`, `budget.threshold_crossed`, …: one of FEED_EVENT_TYPES. */
    type: text('type').notNull(),
    /** JSON text: the event's data as the API shows it. */
    data: text('data').notNull(),
    /** ISO 8601 UTC. */
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'event_feed_pk', columns: [t.userId, t.seq] }), index('event_feed_created_idx').on(t.createdAt)],
);
