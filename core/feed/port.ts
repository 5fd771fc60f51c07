import { and, asc, eq, gt, inArray, is, SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { users } from '../auth/tables.ts';
import type { Database } from '../db/client.ts';
import { eventFeed } from './tables.ts';
import type { FeedEventType } from './types.ts';

/** One event, as a plugin hands it to the feed. */
export interface FeedInput {
  userId: string;
  type: FeedEventType;
  /**
   * What the event says, as the API shows it: an object (serialised as JSON here), or an SQL
   * expression giving its JSON text, for data only the batch itself knows (a sum SQLite computes).
   */
  data: Record<string, unknown> | SQL;
  at: string;
}

/** A stored event, as GET /api/events and webhook deliveries show it. */
export interface FeedEvent {
  /** The user's cursor: increasing in commit order. */
  seq: number;
  type: FeedEventType;
  createdAt: string;
  data: Record<string, unknown>;
}

export interface FeedPort {
  /**
   * The statements that store `event`, for the caller's own `db.batch` with the write it tells
   * of: the user's counter raised, then the row with the raised value. Inside one transaction,
   * so the seq order is the commit order (see core/feed/tables.ts).
   *
   * `when`, if given, is a condition both statements carry: the event is stored only when it
   * holds. A write that may do nothing (an insert `on conflict do nothing`, a guarded update)
   * puts its statements just before that write with the write's own condition, so the event
   * lands exactly when the fact does. `when` must not read `user` or `event_feed`.
   */
  record(db: Database, event: FeedInput, when?: SQL): BatchItem<'sqlite'>[];
  /** The user's events after `after`, oldest first, at most `limit`, only of `types` when given. */
  after(userId: string, after: number, options: { limit: number; types?: readonly FeedEventType[] }): Promise<FeedEvent[]>;
  /** The user's last seq (0 before any event). */
  last(userId: string): Promise<number>;
  /**
   * Whether events after `after` were deleted by the retention (seqs have no gaps, so a first
   * kept seq above after + 1, or none kept below the counter, means some were).
   */
  expired(userId: string, after: number): Promise<boolean>;
}

export function feedStatements(event: FeedInput, when?: SQL): SQL[] {
  const data = is(event.data, SQL) ? event.data : JSON.stringify(event.data);
  const only = when ? sql` and (${when})` : sql``;
  return [
    sql`update ${users} set event_seq = event_seq + 1 where ${users.id} = ${event.userId}${only}`,
    sql`insert into ${eventFeed} (user_id, seq, type, data, created_at)
      select ${users.id}, ${users.eventSeq}, ${event.type}, ${data}, ${event.at}
      from ${users} where ${users.id} = ${event.userId}${only}`,
  ];
}

export function createFeedPort(db: Database): FeedPort {
  const port: FeedPort = {
    record: (db, event, when) => feedStatements(event, when).map((s) => db.run(s)),
    async after(userId, after, { limit, types }) {
      const rows = await db
        .select()
        .from(eventFeed)
        .where(and(eq(eventFeed.userId, userId), gt(eventFeed.seq, after), types?.length ? inArray(eventFeed.type, [...types]) : undefined))
        .orderBy(asc(eventFeed.seq))
        .limit(limit);
      return rows.map((r) => ({ seq: r.seq, type: r.type as FeedEventType, createdAt: r.createdAt, data: JSON.parse(r.data) as Record<string, unknown> }));
    },
    async last(userId) {
      const [row] = await db.select({ seq: users.eventSeq }).from(users).where(eq(users.id, userId));
      return row?.seq ?? 0;
    },
    async expired(userId, after) {
      const [row] = await db
        .select({ oldest: sql<number | null>`(select min(${eventFeed.seq}) from ${eventFeed} where ${eventFeed.userId} = ${userId})`, last: users.eventSeq })
        .from(users)
        .where(eq(users.id, userId));
      if (!row) return false;
      return row.oldest === null ? row.last > after : row.oldest > after + 1;
    },
  };
  return port;
}
