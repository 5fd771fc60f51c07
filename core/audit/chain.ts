import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { perDatabase, preparedBatch } from '../db/prepared-batch.ts';
import { auditHead, auditLog, type AuditRow } from './tables.ts';

/** The "previous hash" of the first row. */
export const GENESIS = '0'.repeat(64);

/**
 * A row's link: SHA-256 over the previous row's hash and every field of this row but its own
 * hash, as one JSON array (unambiguous: no two rows encode alike). SQLite has no SHA-256, so
 * this runs in JS after the commit (see `seal`): node:crypto, native on every host and
 * synchronous, where Web Crypto's digest cost a promise and a copy per row.
 */
export function linkHash(prev: string, r: Omit<AuditRow, 'hash'>): string {
  const text = JSON.stringify([prev, r.id, r.at, r.userId, r.actorId, r.entity, r.entityId, r.op, r.before, r.after, r.requestId, r.ip]);
  return createHash('sha256').update(text).digest('hex');
}

const SEAL_PAGE = 500;

// Built once per database: sealing runs after every write request.
const readHead = perDatabase((db: Database) => db.select().from(auditHead).where(eq(auditHead.id, 1)).prepare());
const readAfter = perDatabase((db: Database) =>
  db.select().from(auditLog).where(gt(auditLog.id, sql.placeholder('from'))).orderBy(asc(auditLog.id)).limit(SEAL_PAGE).prepare(),
);
// One statement fills every hash of a pass, from a JSON array of [id, hash] pairs (not one update per row).
const fillHashes = sql`update audit_log set hash = h.value ->> 1 from json_each(${sql.placeholder('hashes')}) as h where audit_log.id = h.value ->> 0 and audit_log.hash is null`;
type Pass = { from: number; lastId: number; lastHash: string; hashes: string };
const moveHeadAndFill = preparedBatch<Pass>((db) => [
  db
    .update(auditHead)
    .set({ lastId: sql.placeholder('lastId') as unknown as number, lastHash: sql.placeholder('lastHash') as unknown as string })
    .where(and(eq(auditHead.id, 1), eq(auditHead.lastId, sql.placeholder('from'))))
    .returning({ id: auditHead.id }),
  fillHashes,
]);
const startHeadAndFill = preparedBatch<Pass>((db) => [
  db
    .insert(auditHead)
    .values({ id: 1, lastId: sql.placeholder('lastId') as unknown as number, lastHash: sql.placeholder('lastHash') as unknown as string })
    .onConflictDoNothing()
    .returning({ id: auditHead.id }),
  fillHashes,
]);

/**
 * Seals the rows written since the last seal, oldest first, and moves the head to the last. Many
 * sealers may run at once (processes, isolates): the hashes are a function of the rows, so they
 * all compute the same ones; each row's update applies only to a null hash, and the head moves
 * only from where this sealer read it. Returns how many rows this call sealed.
 */
export async function seal(db: Database): Promise<number> {
  let sealed = 0;
  for (;;) {
    const [head] = await readHead(db).all();
    const from = head?.lastId ?? 0;
    const rows = await readAfter(db).all({ from });
    if (rows.length === 0) return sealed;
    let prev = head?.lastHash ?? GENESIS;
    const hashes: [number, string][] = [];
    for (const row of rows) {
      prev = linkHash(prev, row);
      if (row.hash === null) hashes.push([row.id, prev]);
    }
    const pass = { from, lastId: rows.at(-1)!.id, lastHash: prev, hashes: JSON.stringify(hashes) };
    const [headRows] = await (head ? moveHeadAndFill : startHeadAndFill)(db, pass);
    const moved = headRows!.rows.length === 1;
    if (moved) sealed += hashes.length;
    // Another sealer moved the head meanwhile: read it again.
    if (moved && rows.length < SEAL_PAGE) return sealed;
  }
}

export interface Verdict {
  ok: boolean;
  /** Rows checked, and those still waiting for their seal (after the head). */
  rows: number;
  unsealed: number;
  /** The first broken link: the row where the chain stops holding, and why. */
  broken?: { id: number; reason: string };
}

const VERIFY_PAGE = 1000;

/**
 * Walks the whole log in id order and recomputes every link. A row edited (any field, its hash
 * included) fails its own link or the next one's; a row deleted leaves its id missing (ids are
 * AUTOINCREMENT, never reused) and the next link failing; rows deleted from the end are caught
 * by the head, which names the last sealed id and its hash.
 */
export async function verify(db: Database): Promise<Verdict> {
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  const headId = head?.lastId ?? 0;
  let prev = GENESIS;
  let expected = 1;
  let rows = 0;
  let unsealed = 0;
  let headHash: string | undefined;
  const fail = (id: number, reason: string): Verdict => ({ ok: false, rows, unsealed, broken: { id, reason } });
  for (;;) {
    const page = await db.select().from(auditLog).where(gt(auditLog.id, expected - 1)).orderBy(asc(auditLog.id)).limit(VERIFY_PAGE);
    if (page.length === 0) break;
    for (const row of page) {
      if (row.id !== expected) return fail(expected, `row ${expected} is missing: deleted from the log`);
      const hash = linkHash(prev, row);
      if (row.hash === null) {
        if (row.id <= headId) return fail(row.id, `row ${row.id} has lost its hash (the head says it was sealed)`);
        unsealed++;
      } else if (row.hash !== hash) {
        return fail(row.id, `row ${row.id} does not match its hash: it, or its hash, was changed`);
      }
      if (row.id === headId) headHash = hash;
      prev = hash;
      expected++;
      rows++;
    }
  }
  if (headId >= expected) return fail(expected, `rows ${expected} to ${headId} are missing: deleted from the end of the log (the head says ${headId} was sealed)`);
  if (head && headHash !== head.lastHash) return fail(headId, `row ${headId} does not match the head's hash`);
  return { ok: true, rows, unsealed };
}

export interface TrailPage {
  rows: AuditRow[];
  /** The id to pass as `before` for the next (older) page; null on the last one. */
  next: number | null;
}

/** A user's trail, newest first, `limit` rows before the id `before`. */
export async function trail(db: Database, userId: string, limit: number, before?: number): Promise<TrailPage> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.userId, userId), before === undefined ? undefined : lt(auditLog.id, before)))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { rows: page, next: more ? page.at(-1)!.id : null };
}
