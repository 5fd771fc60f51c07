import { and, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { ChangeRecord } from '../../core/changes/port.ts';
import { AppError } from '../../core/http/errors.ts';
import type { Platform } from '../../core/platform.ts';
import type { PreparedWrite, SyncedState, SyncWriter } from '../../core/services.ts';
import type { DeltaConflict, DeltaOperation, DeltaResult, DeltaStatus } from './schemas.ts';
import { syncOperations } from './tables.ts';

/**
 * Offline edits: POST /api/sync/delta.
 *
 * The conflict rule (one, for every synced entity):
 * - **Field-level last writer wins, by server time.** An update based on a stale version is
 *   applied as a patch over the current state: the fields it sets take its values (it reaches
 *   the server last), the fields it does not set keep theirs. Reported as `merged`, with the
 *   fields other devices had changed since its base that it set again.
 * - **A delete wins over an update.** A delete based on a stale version deletes anyway
 *   (`deleted`); an update or delete of an entity already gone writes nothing (`discarded`).
 * Device clocks play no part: "last" is the order in which the server applies writes.
 *
 * Idempotency: each operation is stored per user, device and operation id in the delta's own
 * batch; a repeated id is answered from what was stored, and the change it logged.
 *
 * Concurrency: the plan is made from reads (the user's last seq, then the entities' current
 * versions); the batch checks, in SQL, that no change of an entity it updates or deletes was
 * logged after that seq. When one was, the guard writes NULL into a NOT NULL column, the whole
 * batch fails, and the delta is planned again from fresh reads. Writes to other entities do
 * not disturb it.
 */

/** How long a device's operation ids are remembered. */
export const OPERATION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const ATTEMPTS = 4;
/** What the change log's data holds besides the entity's own fields. */
const META_FIELDS = new Set(['_id', 'version', 'createdAt', 'updatedAt']);

type StoredOperation = typeof syncOperations.$inferSelect;

interface Planned {
  row: Omit<StoredOperation, 'status' | 'seq'> & { status: DeltaStatus };
  /** Holds while the entity is as the plan read it (SQL, checked in the batch). */
  guard: SQL<boolean> | null;
  write: PreparedWrite | null;
}

export async function applyDelta(platform: Platform, user: { id: string; currency: string }, deviceId: string, operations: readonly DeltaOperation[]): Promise<DeltaResult[]> {
  const seen = new Set<string>();
  const touched = new Set<string>();
  operations.forEach((o, i) => {
    if (seen.has(o.opId)) throw invalid(i, 'opId', 'is repeated within this delta');
    seen.add(o.opId);
    if (o.op !== 'create') {
      if (touched.has(o.id)) throw invalid(i, 'id', 'has another operation in this delta: send one operation per entity (a patch of every field changed)');
      touched.add(o.id);
    }
  });

  const writer: SyncWriter = { id: user.id, currency: user.currency, deviceId };
  const opIds = [...seen];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(Math.random() * 20 * attempt);
    const stored = await storedOperations(platform, user.id, deviceId, opIds);
    const fresh = operations.filter((o) => !stored.has(o.opId));
    if (fresh.length === 0) return answer(platform, user.id, operations, stored);

    const planned = await plan(platform, writer, operations, fresh);
    const { db } = platform;
    const statements: BatchItem<'sqlite'>[] = [];
    for (const { row, guard, write } of planned) {
      // The operation's row first, its guard checked before its own write logs a change.
      const status = guard ? sql`case when ${guard} then ${row.status} else null end` : row.status;
      statements.push(db.insert(syncOperations).values({ ...row, status: status as DeltaStatus }));
      if (!write) continue;
      statements.push(...write.statements);
      // One operation per entity: the entity's last change is the one this operation just logged.
      const key = and(eq(syncOperations.userId, row.userId), eq(syncOperations.deviceId, row.deviceId), eq(syncOperations.opId, row.opId));
      statements.push(db.update(syncOperations).set({ seq: platform.changes.lastChangeOf(user.id, 'expense', row.entityId) }).where(key));
    }
    const now = platform.clock.now();
    statements.push(db.delete(syncOperations).where(and(eq(syncOperations.userId, user.id), lt(syncOperations.createdAt, new Date(now.getTime() - OPERATION_TTL_MS).toISOString()))));
    try {
      await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
    } catch (err) {
      // An entity changed since the reads, or the same delta was sent twice at once: plan again.
      if (isConstraintError(err)) continue;
      throw err;
    }
    if (planned.some((p) => p.write)) await platform.changes.committed(user.id);
    for (const p of planned) await p.write?.committed();
    return answer(platform, user.id, operations, await storedOperations(platform, user.id, deviceId, opIds));
  }
  throw new AppError('SYNC_CONTENDED', 'The entities of this delta kept changing while it was applied; send it again (each operation is applied once)');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function storedOperations(platform: Platform, userId: string, deviceId: string, opIds: string[]) {
  const rows = await platform.db
    .select()
    .from(syncOperations)
    .where(and(eq(syncOperations.userId, userId), eq(syncOperations.deviceId, deviceId), inArray(syncOperations.opId, opIds)));
  return new Map(rows.map((r) => [r.opId, r]));
}

/** What each new operation does, decided by the rule above from the current versions. */
async function plan(platform: Platform, writer: SyncWriter, all: readonly DeltaOperation[], fresh: readonly DeltaOperation[]): Promise<Planned[]> {
  const expenses = platform.services.expenses.synced;
  // The seq first: a change logged after it fails the guard, so the states read below are never older than the guard assumes.
  const baseSeq = await platform.changes.last(writer.id);
  const current = await expenses.current(writer.id, fresh.flatMap((o) => (o.op === 'create' ? [] : [o.id])));
  const now = platform.clock.now().toISOString();
  const out: Planned[] = [];
  for (const o of fresh) {
    const index = all.indexOf(o);
    const row = { userId: writer.id, deviceId: writer.deviceId!, opId: o.opId, op: o.op, entity: o.entity, createdAt: now };
    if (o.op === 'create') {
      const write = await inOperation(index, () => expenses.create(writer, o.data));
      out.push({ row: { ...row, entityId: write.id, status: 'applied', conflict: null }, guard: null, write });
      continue;
    }
    const state = current.get(o.id);
    if (!state) {
      // Gone (deleted on another device, or never this user's; ids are never reused): a delete wins, nothing to write.
      const conflict: DeltaConflict = { rule: 'delete-wins', baseVersion: o.version, serverVersion: null, fields: [] };
      out.push({ row: { ...row, entityId: o.id, status: 'discarded', conflict: JSON.stringify(conflict) }, guard: null, write: null });
      continue;
    }
    if (o.version > state.version) throw invalid(index, 'version', `is ahead of the server's (${state.version})`);
    const stale = o.version < state.version;
    const changed = stale ? await changedSince(platform, writer.id, o.id, o.version, state) : [];
    const guard = platform.changes.unchangedSince(writer.id, 'expense', o.id, baseSeq);
    let status: DeltaStatus = 'applied';
    let conflict: DeltaConflict | null = null;
    let write: PreparedWrite;
    if (o.op === 'update') {
      write = await inOperation(index, () => expenses.update(writer, o.id, o.data));
      const set = Object.keys(o.data).filter((k) => (o.data as Record<string, unknown>)[k] !== undefined);
      if (stale) {
        status = 'merged';
        conflict = { rule: 'field-last-writer-wins', baseVersion: o.version, serverVersion: state.version, fields: changed === null ? set : set.filter((k) => changed.includes(k)) };
      }
    } else {
      write = expenses.delete(writer, o.id);
      if (stale) {
        status = 'deleted';
        conflict = { rule: 'delete-wins', baseVersion: o.version, serverVersion: state.version, fields: changed ?? [] };
      }
    }
    out.push({ row: { ...row, entityId: o.id, status, conflict: conflict && JSON.stringify(conflict) }, guard, write });
  }
  return out;
}

/** The entity's fields that differ between `version` (from the change log) and now; null when that version is not logged. */
async function changedSince(platform: Platform, userId: string, id: string, version: number, now: SyncedState): Promise<string[] | null> {
  const base = await platform.changes.dataAt(userId, 'expense', id, version);
  if (!base) return null;
  const keys = new Set([...Object.keys(base), ...Object.keys(now.data)]);
  return [...keys].filter((k) => !META_FIELDS.has(k) && JSON.stringify(base[k]) !== JSON.stringify(now.data[k]));
}

/** The answer: one result per operation, from the stored rows and the changes they logged (the same on a replay). */
async function answer(platform: Platform, userId: string, operations: readonly DeltaOperation[], stored: Map<string, StoredOperation>): Promise<DeltaResult[]> {
  const rows = operations.map((o) => stored.get(o.opId)!);
  const seqs = rows.flatMap((r) => (r.seq === null ? [] : [r.seq]));
  const changes = new Map<number, ChangeRecord>((await platform.changes.read(userId, seqs)).map((c) => [c.seq, c]));
  return rows.map((r) => {
    const change = r.seq === null ? undefined : changes.get(r.seq);
    return {
      opId: r.opId,
      op: r.op,
      entity: r.entity as DeltaResult['entity'],
      id: r.entityId,
      status: r.status,
      conflict: r.conflict === null ? null : (JSON.parse(r.conflict) as DeltaConflict),
      current: change && change.data !== null ? { version: change.version, data: change.data as Record<string, unknown> } : null,
      seq: r.seq,
    };
  });
}

function invalid(index: number, field: string, message: string) {
  return new AppError('VALIDATION_FAILED', `operations[${index}].${field} ${message}`, [{ path: `operations.${index}.${field}`, message }]);
}

/** An operation's own 400 (a bad value, an unknown category), named by its place in the delta. */
async function inOperation<T>(index: number, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 400) throw err;
    const details = (err.details ?? [{ path: '', message: err.message }]).map((d) => ({ path: `operations.${index}.data${d.path ? `.${d.path}` : ''}`, message: d.message }));
    throw new AppError(err.code, `operations[${index}]: ${err.message}`, details, err.headers);
  }
}

function isConstraintError(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (/constraint/i.test(e.message) || (e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) return true;
  }
  return false;
}
