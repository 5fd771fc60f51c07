import { sql } from 'drizzle-orm';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase } from './client.ts';
import { BACKSTOP_PAGES } from './checkpoint.ts';

/** A file database in WAL mode with synchronous=FULL, as the embedded hosts open it. */
async function open() {
  const file = join(mkdtempSync(join(tmpdir(), 'expenseflow-checkpoint-')), 'x.db');
  const handle = createDatabase(`file:${file}`);
  for (const pragma of ['journal_mode = WAL', 'synchronous = FULL']) await handle.client.execute(`PRAGMA ${pragma}`);
  await handle.client.executeMultiple('create table doc (id integer primary key, body blob not null)');
  const size = (suffix = '') => statSync(file + suffix).size;
  return { ...handle, size };
}

const PAGE = 4096;
const until = async (done: () => boolean) => {
  for (const start = Date.now(); !done() && Date.now() - start < 10_000; ) await new Promise((r) => setTimeout(r, 20));
};

describe('background checkpoints', () => {
  it("copy what was committed into the database file while the connection is open, below SQLite's own threshold", async () => {
    const { db, client, size } = await open();
    // About 500 pages in the WAL: far below the backstop, so SQLite itself would not copy them yet.
    for (let i = 0; i < 250; i++) await db.run(sql`insert into doc (body) values (randomblob(${2 * PAGE}))`);
    expect(500).toBeLessThan(BACKSTOP_PAGES);
    await until(() => size() > 250 * 2 * PAGE);
    expect(size()).toBeGreaterThan(250 * 2 * PAGE);
    expect(await db.get(sql`select count(*) as n from doc`)).toEqual({ n: 250 });
    client.close();
  });

  it('keep the WAL small under back-to-back commits', async () => {
    const { db, client, size } = await open();
    // 1,000 commits of ten pages each: 41 MB of WAL frames. Left to SQLite (autocheckpoint at the
    // backstop), the WAL file grows to 41 MB. Started again after the background checkpoints, it
    // holds about the writes of one checkpoint interval: 10–11 MB here.
    for (let i = 0; i < 1000; i++) await db.run(sql`insert into doc (body) values (randomblob(${10 * PAGE}))`);
    expect(BACKSTOP_PAGES * PAGE).toBeGreaterThanOrEqual(40_000_000);
    expect(size('-wal')).toBeLessThan(30_000_000);
    expect(await db.get(sql`select count(*) as n from doc`)).toEqual({ n: 1000 });
    client.close();
  });
});
