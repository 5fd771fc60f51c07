import { and, asc, eq, gt, inArray, ne, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { users } from '../auth/tables.ts';
import type { Database } from '../db/client.ts';
import type { EventBus } from '../events.ts';
import { changeLog } from './tables.ts';

export type ChangeOp = 'CREATE' | 'UPDATE' | 'DELETE';

/** The entities whose changes are logged and synced (goals, notifications, group items: later). */
export const SYNCED_ENTITIES = ['expense', 'category', 'settings', 'budget'] as const;
export type SyncedEntity = (typeof SYNCED_ENTITIES)[number];

type Value<T> = T | Placeholder | SQL;

/** One change, as a plugin describes it. Values may be SQL (computed in the batch) or placeholders (a prepared batch). */
export interface ChangeInput {
  userId: string | Placeholder;
  entity: SyncedEntity;
  entityId: Value<string>;
  op: ChangeOp;
  /** The entity's version after the change. */
  version: Value<number>;
  /** The entity after the change as JSON text (a JS string or an SQL expression giving one); null for a delete. */
  data: Value<string> | null;
  deviceId: string | null | Placeholder;
  at: string | Placeholder;
  /**
   * When given, the change is logged only if this holds inside the batch (the row it describes
   * exists, say): a write that matched nothing logs nothing and raises no counter.
   */
  when?: SQL;
}

/** A logged change, as the pull route and the realtime rooms read it. */
export interface ChangeRecord {
  seq: number;
  entity: string;
  entityId: string;
  op: ChangeOp;
  version: number;
  data: unknown;
  deviceId: string | null;
  at: string;
}

export interface ChangesPort {
  /**
   * The statement that logs `change`, for the caller's own `db.batch` after its write: the log
   * row (seq = data_version + 1). The log's trigger (migration 0018) moves data_version to that
   * seq when the row goes in, and only then: the counter and the log never drift apart, so seq
   * is gap-free. One statement: a caller's later results sit one place after it.
   */
  record(db: Database, change: ChangeInput): BatchItem<'sqlite'>[];
  /** The same statement as SQL, for a prepared batch (core/db/prepared-batch.ts). */
  statements(change: ChangeInput): SQL[];
  /** Called after the batch has committed: announces `change.recorded` to the realtime rooms. */
  committed(userId: string): Promise<void>;
  /** The user's changes after `since`, oldest first, at most `limit`. */
  since(userId: string, since: number, limit: number): Promise<ChangeRecord[]>;
  /** The user's last seq: their data_version (0 before any change); the next change is logged with seq + 1. */
  last(userId: string): Promise<number>;
  /** The user's changes with these seqs, oldest first (seqs not logged are left out). At most 500. */
  read(userId: string, seqs: readonly number[]): Promise<ChangeRecord[]>;
  /** The data an entity had at `version`, from its logged change; undefined when not logged (older than the log, or a delete). */
  dataAt(userId: string, entity: SyncedEntity, entityId: string, version: number): Promise<Record<string, unknown> | undefined>;
  /**
   * SQL that holds while no change of the entity has been logged after `seq`: inside a batch, a
   * guard that the entity is still as read after seq was (the caller fails its batch when not).
   */
  unchangedSince(userId: string, entity: SyncedEntity, entityId: string, seq: number): SQL<boolean>;
  /** SQL giving the seq of the entity's last logged change (null when none): inside a batch, the change just logged. */
  lastChangeOf(userId: string, entity: SyncedEntity, entityId: string): SQL<number | null>;
}

declare module '../events.ts' {
  interface DomainEvents {
    /** Changes of the user's synced entities have committed: read them from the log after the last seq seen. */
    'change.recorded': { userId: string };
  }
}

export function changeStatements(change: ChangeInput): SQL[] {
  const guard = change.when ? sql` and (${change.when})` : sql``;
  return [
    sql`insert into ${changeLog} (user_id, seq, entity, entity_id, op, version, data, device_id, created_at)
      select ${users.id}, ${users.dataVersion} + 1, ${change.entity}, ${change.entityId}, ${change.op}, ${change.version},
        ${change.data}, ${change.deviceId}, ${change.at}
      from ${users} where ${users.id} = ${change.userId}${guard}`,
  ];
}

const toRecord = (r: typeof changeLog.$inferSelect): ChangeRecord => ({
  seq: r.seq,
  entity: r.entity,
  entityId: r.entityId,
  op: r.op,
  version: r.version,
  data: r.data === null ? null : JSON.parse(r.data),
  deviceId: r.deviceId,
  at: r.createdAt,
});

export function createChangesPort(db: Database, events: EventBus): ChangesPort {
  return {
    record: (db, change) => changeStatements(change).map((s) => db.run(s)),
    statements: changeStatements,
    committed: (userId) => events.emit('change.recorded', { userId }),
    async since(userId, since, limit) {
      const rows = await db
        .select()
        .from(changeLog)
        .where(and(eq(changeLog.userId, userId), gt(changeLog.seq, since)))
        .orderBy(asc(changeLog.seq))
        .limit(limit);
      return rows.map(toRecord);
    },
    async read(userId, seqs) {
      if (seqs.length === 0) return [];
      if (seqs.length > 500) throw new RangeError('at most 500 seqs');
      const rows = await db
        .select()
        .from(changeLog)
        .where(and(eq(changeLog.userId, userId), inArray(changeLog.seq, [...seqs])))
        .orderBy(asc(changeLog.seq));
      return rows.map(toRecord);
    },
    async dataAt(userId, entity, entityId, version) {
      const [row] = await db
        .select({ data: changeLog.data })
        .from(changeLog)
        .where(and(eq(changeLog.userId, userId), eq(changeLog.entity, entity), eq(changeLog.entityId, entityId), eq(changeLog.version, version), ne(changeLog.op, 'DELETE')))
        .orderBy(asc(changeLog.seq))
        .limit(1);
      return row?.data ? (JSON.parse(row.data) as Record<string, unknown>) : undefined;
    },
    unchangedSince: (userId, entity, entityId, seq) =>
      sql<boolean>`not exists (select 1 from ${changeLog} where ${changeLog.userId} = ${userId} and ${changeLog.entity} = ${entity} and ${changeLog.entityId} = ${entityId} and ${changeLog.seq} > ${seq})`,
    lastChangeOf: (userId, entity, entityId) =>
      sql<number | null>`(select max(${changeLog.seq}) from ${changeLog} where ${changeLog.userId} = ${userId} and ${changeLog.entity} = ${entity} and ${changeLog.entityId} = ${entityId})`,
    // The counter itself, not max(seq): an account older than the log has a data_version
    // above its last logged seq, and the next seq follows the counter.
    async last(userId) {
      const [row] = await db.select({ seq: users.dataVersion }).from(users).where(eq(users.id, userId));
      return row?.seq ?? 0;
    },
  };
}
