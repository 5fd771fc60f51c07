import { eq, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase } from './client.ts';
import { isUniqueViolation } from './errors.ts';
import { databaseStamp } from './stamp.ts';

const items = sqliteTable('item', { id: text('id').primaryKey(), n: integer('n').notNull() });

async function open(url = `file:${join(mkdtempSync(join(tmpdir(), 'expenseflow-db-')), 'x.db')}`) {
  const handle = createDatabase(url);
  await handle.client.executeMultiple('create table item (id text primary key, n integer not null)');
  return handle;
}

const codesOf = (err: unknown) => {
  const codes: unknown[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) codes.push((e as { code?: unknown }).code);
  return codes;
};

describe('the embedded client', () => {
  it('reads typed rows, raw rows by column name, and run results', async () => {
    const { db } = await open();
    const run = await db.insert(items).values([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    expect(run.rowsAffected).toBe(2);
    expect(await db.select().from(items).where(eq(items.id, 'b'))).toEqual([{ id: 'b', n: 2 }]);
    expect(await db.all(sql`select id, n * 10 as ten from item order by id`)).toEqual([
      { id: 'a', ten: 10 },
      { id: 'b', ten: 20 },
    ]);
    expect(await db.get(sql`select count(*) as c from item`)).toEqual({ c: 2 });
  });

  it('works on :memory:', async () => {
    const { db } = await open(':memory:');
    await db.insert(items).values({ id: 'm', n: 7 });
    expect(await db.select({ n: items.n }).from(items)).toEqual([{ n: 7 }]);
  });

  it('answers concurrent batches after one commit each sees, and a failing batch rolls back alone', async () => {
    const { db } = await open();
    await db.insert(items).values({ id: 'taken', n: 0 });
    // Started in the same turn: they go out as one group.
    const outcomes = await Promise.allSettled([
      db.batch([db.insert(items).values({ id: 'x1', n: 1 }), db.insert(items).values({ id: 'x2', n: 2 })]),
      db.batch([db.insert(items).values({ id: 'y1', n: 1 }), db.insert(items).values({ id: 'taken', n: 9 })]),
      db.batch([db.insert(items).values({ id: 'z1', n: 1 }), db.update(items).set({ n: 5 }).where(eq(items.id, 'taken'))]),
      db.insert(items).values({ id: 'lone', n: 3 }),
      db.insert(items).values({ id: 'back', n: 4 }).returning(),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    // Each caller gets its own statements' results, as committed.
    expect((outcomes[4] as PromiseFulfilledResult<unknown>).value).toEqual([{ id: 'back', n: 4 }]);
    expect((outcomes[0] as PromiseFulfilledResult<{ rowsAffected: number }[]>).value.map((r) => r.rowsAffected)).toEqual([1, 1]);
    const failure = (outcomes[1] as PromiseRejectedResult).reason;
    expect(isUniqueViolation(failure)).toBe(true);
    expect(codesOf(failure)).toContain('SQLITE_CONSTRAINT');
    const rows = await db.select().from(items).orderBy(items.id);
    expect(rows).toEqual([
      { id: 'back', n: 4 },
      { id: 'lone', n: 3 },
      { id: 'taken', n: 5 },
      { id: 'x1', n: 1 },
      { id: 'x2', n: 2 },
      { id: 'z1', n: 1 },
    ]);
  });

  it('commits a group without a failing batch whole, and a lone failing batch leaves nothing', async () => {
    const { db } = await open();
    const ok = await Promise.all(Array.from({ length: 20 }, (_, i) => db.batch([db.insert(items).values({ id: `g${i}`, n: i }), db.update(items).set({ n: i * 10 }).where(eq(items.id, `g${i}`)).returning()])));
    expect(ok.map(([, updated]) => updated)).toEqual(Array.from({ length: 20 }, (_, i) => [{ id: `g${i}`, n: i * 10 }]));
    await expect(db.batch([db.insert(items).values({ id: 'solo', n: 1 }), db.insert(items).values({ id: 'g0', n: 0 })])).rejects.toSatisfy(isUniqueViolation);
    expect(await db.select().from(items).where(eq(items.id, 'solo'))).toEqual([]);
    expect((await db.select().from(items)).length).toBe(20);
  });

  it('keeps SQLITE_FULL reachable, and a batch is answered ok only when its rows are stored', async () => {
    const { db, client } = await open();
    await client.execute('PRAGMA max_page_count = 8'); // a disk that fills up after a few pages
    const big = 'x'.repeat(3000);
    const attempts = Array.from({ length: 12 }, (_, i) =>
      db.batch([db.insert(items).values({ id: `${i}-a-${big}`, n: i }), db.insert(items).values({ id: `${i}-b-${big}`, n: i })]),
    );
    const outcomes = await Promise.allSettled(attempts);
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    expect(codesOf(failed[0]!.reason)).toContain('SQLITE_FULL');
    const stored = new Set((await db.select({ n: items.n }).from(items)).map((r) => r.n));
    const counts = await db.all<{ n: number; c: number }>(sql`select n, count(*) as c from item group by n`);
    expect(counts.every((r) => r.c === 2)).toBe(true); // never half a batch
    outcomes.forEach((o, i) => expect(stored.has(i)).toBe(o.status === 'fulfilled'));
  });

  it('rejects every write of a group with SQLITE_BUSY while another connection holds the write lock', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'expenseflow-db-')), 'busy.db');
    const { db, client } = await open(`file:${path}`);
    await client.execute('PRAGMA journal_mode = WAL');
    const other = createDatabase(`file:${path}`).client;
    await other.execute('BEGIN IMMEDIATE'); // runs at once: transaction control is not queued
    const outcomes = await Promise.allSettled([db.insert(items).values({ id: 'b1', n: 1 }), db.batch([db.insert(items).values({ id: 'b2', n: 2 })])]);
    expect(outcomes.map((o) => o.status === 'rejected' && codesOf(o.reason))).toEqual([
      expect.arrayContaining(['SQLITE_BUSY']),
      expect.arrayContaining(['SQLITE_BUSY']),
    ]);
    await other.execute('ROLLBACK');
    await db.insert(items).values({ id: 'b3', n: 3 });
    expect(await db.select({ id: items.id }).from(items)).toEqual([{ id: 'b3' }]);
  });

  it('runs a read-only select between groups without waiting for a queued write', async () => {
    const { db } = await open();
    const write = db.insert(items).values({ id: 'w', n: 1 });
    const pending = write.then(() => 'written');
    // The write is queued for the next group; a read started now sees the committed state.
    expect(await db.select().from(items)).toEqual([]);
    expect(await pending).toBe('written');
    expect(await db.select().from(items)).toEqual([{ id: 'w', n: 1 }]);
  });

  it('sees a schema change under statements it keeps', async () => {
    const { db, client } = await open();
    await db.insert(items).values({ id: 'a', n: 1 });
    expect(await db.all(sql`select * from item`)).toEqual([{ id: 'a', n: 1 }]);
    await client.executeMultiple("alter table item add column note text not null default 'hi'");
    expect(await db.all(sql`select * from item`)).toEqual([{ id: 'a', n: 1, note: 'hi' }]);
    await client.execute('alter table item add column more integer');
    expect(await db.all(sql`select * from item`)).toEqual([{ id: 'a', n: 1, note: 'hi', more: null }]);
  });

  it('has a stamp that moves with every write, its own or another connection\'s, and only then', async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'expenseflow-db-')), 'x.db')}`;
    const { db, client } = await open(url);
    const stamp = () => databaseStamp(db);
    const before = stamp();
    await db.select().from(items);
    await client.execute('select count(*) from item');
    expect(stamp()).toBe(before);

    const seen = new Set([before]);
    const moved = (what: string) => {
      const now = stamp();
      expect(seen.has(now), `${what} did not move the stamp`).toBe(false);
      seen.add(now);
    };
    await db.insert(items).values({ id: 'a', n: 1 });
    moved('an insert');
    await db.update(items).set({ n: 2 }).where(eq(items.id, 'a'));
    moved('an update');
    await client.batch([{ sql: 'delete from item where id = ?', args: ['a'] }]);
    moved('a batch');
    // A stamp taken while a write waits for its group's commit: the commit moves it.
    const pending = db.insert(items).values({ id: 'b', n: 1 }).execute();
    const during = stamp();
    await pending;
    expect(stamp()).not.toBe(during);
    moved('a commit');

    // Another process on the same file: its commit shows through PRAGMA data_version.
    const other = createDatabase(url);
    await other.client.execute({ sql: 'insert into item (id, n) values (?, ?)', args: ['c', 3] });
    // It shows from the next turn of the event loop (the version is read once a turn).
    await new Promise((resolve) => setImmediate(resolve));
    moved("another connection's commit");
    other.client.close();
    expect(stamp()).toBe([...seen].at(-1));
  });

  it('has no stamp over a remote database', () => {
    expect(databaseStamp(createDatabase('http://127.0.0.1:1').db)).toBeNull();
  });
});
