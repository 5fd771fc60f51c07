import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
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
