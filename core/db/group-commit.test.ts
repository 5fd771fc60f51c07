import Database from 'libsql';
import { setImmediate } from 'node:timers';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';
import { StatementCache } from './statements.ts';

/** A group commit over a real in-memory database, counting the transactions it ends. */
function writer(pending: () => Promise<void> | null = () => null) {
  const db = new Database(':memory:');
  db.exec('create table item (n integer not null)');
  const statements = new StatementCache(db);
  const groups: number[] = [];
  const commit = new GroupCommit(statements, () => db.inTransaction, () => groups.push(1), pending);
  const write = (n: number) => commit.submit([{ sql: 'insert into item (n) values (?)', args: [n] }]);
  const stored = () => (db.prepare('select n from item order by n').all() as { n: number }[]).map((r) => r.n);
  return { commit, write, groups, stored };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('commits the writes of one turn together', async () => {
    const { write, groups, stored } = writer();
    await Promise.all([1, 2, 3].map(write));
    expect(groups).toHaveLength(1);
    expect(stored()).toEqual([1, 2, 3]);
  });

  it('waits for the rest of a burst as large as the last group, arriving a turn later, and syncs it once', async () => {
    const { write, groups, stored } = writer();
    await Promise.all([1, 2, 3, 4, 5, 6].map(write));
    // The same six clients again, four in one turn and two in the next.
    const first = [7, 8, 9, 10].map(write);
    await nextTurn();
    const rest = [11, 12].map(write);
    await Promise.all([...first, ...rest]);
    expect(groups).toHaveLength(2);
    expect(stored()).toHaveLength(12);
  });

  it('does not hold a lone write, nor a smaller burst once it stops growing', async () => {
    const { write, groups, stored } = writer();
    await Promise.all([1, 2, 3, 4, 5, 6].map(write));
    // Alone in its turn, 7 goes at once: the write of the next turn is in a group of its own.
    const lone = write(7);
    await nextTurn();
    await Promise.all([lone, write(8)]);
    expect(groups).toHaveLength(3);
    await Promise.all([9, 10].map(write)); // fewer than the last group, and no more come
    expect(groups).toHaveLength(4);
    expect(stored()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('commits a held group at once when flushed (close, migration), and goes on after', async () => {
    const { commit, write, groups, stored } = writer();
    await Promise.all([1, 2, 3, 4, 5, 6].map(write));
    const held = Promise.all([7, 8].map(write));
    await nextTurn(); // the group is now held, waiting for more
    commit.flush();
    expect(stored()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // committed by the flush itself, not later
    await held;
    expect(groups).toHaveLength(2);
    await Promise.all([9, 10, 11, 12, 13, 14].map(write));
    expect(groups).toHaveLength(3);
    expect(stored()).toHaveLength(14);
  });

  it('waits for what is pending (a checkpoint) before a group begins, and the writes arriving meanwhile join it', async () => {
    let release!: () => void;
    let checkpoint: Promise<void> | null = new Promise<void>((resolve) => (release = resolve));
    const { write, groups, stored } = writer(() => checkpoint);
    const early = [1, 2].map(write);
    await nextTurn();
    await nextTurn();
    expect(stored()).toEqual([]); // not begun while the checkpoint runs
    const late = [3, 4, 5].map(write);
    await nextTurn();
    checkpoint = null;
    release();
    await Promise.all([...early, ...late]);
    expect(groups).toHaveLength(1);
    expect(stored()).toEqual([1, 2, 3, 4, 5]);
  });
});
