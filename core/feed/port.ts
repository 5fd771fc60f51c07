import { and, asc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { users } from '../auth/tables.ts';
import type { Database } from '../db/client.ts';
import type { DomainEvents, EventBus } from '../events.ts';
import { eventFeed } from './tables.ts';
import type { FeedEventType } from './types.ts';

/** One event, as a plugin hands it to the feed. */
export interface FeedInput {
  userId: string;
  type: FeedEventType;
  /** What the event says, as the API shows it (serialised as JSON). */
  data: Record<string, unknown>;
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
   */
  record(db: Database, event: FeedInput): BatchItem<'sqlite'>[];
  /** The user's events after `after`, oldest first, at most `limit`, only of `types` when given. */
  after(userId: string, after: number, options: { limit: number; types?: readonly FeedEventType[] }): Promise<FeedEvent[]>;
  /** The user's last seq (0 before any event). */
  last(userId: string): Promise<number>;
  /**
   * Whether events after `after` were deleted by the retention (seqs have no gaps, so a first
   * kept seq above after + 1, or none kept below the counter, means some were).
   */
  expired(userId: string, after: number): Promise<boolean>;
  /** Deletes up to `limit` events stored before `before` (ISO 8601); returns how many. */
  purge(before: string, limit: number): Promise<number>;
}

/**
 * Domain events emitted after their commit that the feed stores when they are emitted. They
 * come from background work (a job's crossing, an OCR reading) whose own batches are the
 * emitting plugins'; the store is one batch right after, so a process that dies between the
 * two loses the event (the write itself stands). Expenses, budgets and splits are stored in
 * their write's transaction instead.
 */
const STORED_ON_EMIT = {
  'budget.threshold_crossed': (p) => ({ userId: p.userId, type: 'budget.threshold_crossed', data: omitUser(p) }),
  'goal.milestone_reached': (p) => ({ userId: p.userId, type: 'goal.milestone_reached', data: omitUser(p) }),
  'goal.achieved': (p) => ({ userId: p.userId, type: 'goal.achieved', data: omitUser(p) }),
  'receipt.processed': (p) => ({ userId: p.userId, type: 'receipt.processed', data: { receipt: p.receipt } }),
  'recurring.expense_created': (p) => ({ userId: p.userId, type: 'recurring.expense_created', data: omitUser(p) }),
  'split.reminder': (p) => ({ userId: p.userId, type: 'split.reminder', data: omitUser(p) }),
} satisfies { [K in keyof DomainEvents]?: (payload: DomainEvents[K]) => Omit<FeedInput, 'at'> };

function omitUser<T extends { userId: string }>(payload: T): Omit<T, 'userId'> {
  const { userId: _, ...rest } = payload;
  return rest;
}

export function feedStatements(event: FeedInput): SQL[] {
  return [
    sql`update ${users} set event_seq = event_seq + 1 where ${users.id} = ${event.userId}`,
    sql`insert into ${eventFeed} (user_id, seq, type, data, created_at)
      select ${users.id}, ${users.eventSeq}, ${event.type}, ${JSON.stringify(event.data)}, ${event.at}
      from ${users} where ${users.id} = ${event.userId}`,
  ];
}

export function createFeedPort(db: Database, events: EventBus, now: () => Date): FeedPort {
  const port: FeedPort = {
    record: (db, event) => feedStatements(event).map((s) => db.run(s)),
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
    async purge(before, limit) {
      const old = db.select({ userId: eventFeed.userId, seq: eventFeed.seq }).from(eventFeed).where(lt(eventFeed.createdAt, before)).limit(limit);
      const gone = await db
        .delete(eventFeed)
        .where(sql`(${eventFeed.userId}, ${eventFeed.seq}) in ${old}`)
        .returning({ seq: eventFeed.seq });
      return gone.length;
    },
  };
  for (const [name, build] of Object.entries(STORED_ON_EMIT)) {
    events.on(name as keyof typeof STORED_ON_EMIT, async (payload) => {
      const event = { ...(build as (p: unknown) => Omit<FeedInput, 'at'>)(payload), at: now().toISOString() };
      await db.batch(port.record(db, event) as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    });
  }
  return port;
}
