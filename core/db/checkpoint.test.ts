import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createDatabase } from './client.ts';
import { BACKSTOP_PAGES } from './checkpoint.ts';

/** A file database in WAL mode with synchronous=FULL, as the embedded hosts open it. */
async function open() {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-checkpoint-'));
  const file = join(dir, 'x.db');
  const handle = createDatabase(`file:${file}`);
  for (const pragma of ['journal_mode = WAL', 'synchronous = FULL']) await handle.client.execute(`PRAGMA ${pragma}`);
  await handle.client.executeMultiple('create table doc (id integer primary key, body blob not null)');
  const size = (suffix = '') => statSync(file + suffix).size;
  // The second test leaves about 10 MB of WAL: removed with its directory.
  const close = () => {
    handle.client.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { db: handle.db, close, size };
}

const PAGE = 4096;

describe('background checkpoints', () => {
  it("copy what was committed into the database file while the connection is open, below SQLite's own threshold", async () => {
    const { db, close, size } = await open();
    // About 500 pages in the WAL: far below the backstop, so SQLite itself would not copy them yet.
    for (let i = 0; i < 250; i++) await db.run(sql`insert into doc (body) values (randomblob(${2 * PAGE}))`);
    expect(500).toBeLessThan(BACKSTOP_PAGES);
    await vi.waitFor(() => expect(size()).toBeGreaterThan(250 * 2 * PAGE), { timeout: 10_000, interval: 20 });
    expect(await db.get(sql`select count(*) as n from doc`)).toEqual({ n: 250 });
    close();
  });

  it('keep the WAL small under back-to-back commits', async () => {
    const { db, close, size } = await open();
    // 1,000 commits of ten pages each: 41 MB of WAL frames. Left to SQLite (autocheckpoint at the
    // backstop), the WAL file grows to 41 MB. Started again after the background checkpoints, it
    // holds about the writes of one checkpoint interval: 10–11 MB here.
    for (let i = 0; i < 1000; i++) await db.run(sql`insert into doc (body) values (randomblob(${10 * PAGE}))`);
    expect(BACKSTOP_PAGES * PAGE).toBeGreaterThanOrEqual(40_000_000);
    expect(size('-wal')).toBeLessThan(30_000_000);
    expect(await db.get(sql`select count(*) as n from doc`)).toEqual({ n: 1000 });
    close();
  });
});
