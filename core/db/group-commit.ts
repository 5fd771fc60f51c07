import { LibsqlBatchError, LibsqlError, type InStatement, type ResultSet } from '@libsql/client';
import { setImmediate, setTimeout } from 'node:timers'; // explicit: the Deno host runs this too
import type { StatementCache } from './statements.ts';

// How long a group waits for the rest of a burst, and at most how many times (see #due).
const HOLD_MS = 1;
const MAX_HOLDS = 3;

interface Job {
  stmts: InStatement[];
  resolve(results: ResultSet[]): void;
  reject(err: unknown): void;
}

/**
 * Group commit over one embedded connection: write batches that arrive in the same turn of the
 * event loop go out as one transaction, hence one WAL sync (synchronous=FULL makes that sync
 * the price of every commit). A failing batch rolls back alone and rejects only its own caller
 * (the group is then run again with each batch in its own SAVEPOINT); every caller is answered
 * after the COMMIT.
 *
 * The driver is synchronous: a whole group, its COMMIT and sync included, runs within one
 * callback, so no read on the same connection can ever see another request's uncommitted rows.
 * Reads do not queue here: they run at once, between groups.
 *
 * A group may wait a few milliseconds for the rest of a burst of writes (#due), as
 * PostgreSQL's commit_delay does: each client answered by one group sends its next write soon
 * after, and one sync then covers them all.
 */
export class GroupCommit {
  #queue: Job[] = [];
  #scheduled = false;
  // Bumped by each schedule: a hold's timer left from a group already flushed does nothing.
  #round = 0;
  // How many writes the last group held: what a burst of the same clients will bring again.
  #lastSize = 0;
  readonly #statements: StatementCache;
  readonly #inTransaction: () => boolean;
  readonly #ended: () => void;
  readonly #pending: () => Promise<void> | null;

  /**
   * `ended` is called after each group's transaction ends, before any of its callers is answered;
   * a group due to begin waits first for what `pending` returns (a checkpoint: checkpoint.ts).
   */
  constructor(statements: StatementCache, inTransaction: () => boolean, ended: () => void, pending: () => Promise<void> | null = () => null) {
    this.#statements = statements;
    this.#inTransaction = inTransaction;
    this.#ended = ended;
    this.#pending = pending;
  }

  /** Resolves with one result per statement once they are committed (and synced). */
  submit(stmts: InStatement[]): Promise<ResultSet[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ stmts, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // setImmediate, not a microtask: it runs after the poll phase has handed every
        // request that arrived in this turn to its handler, so their writes share a group.
        setImmediate(this.#due(++this.#round));
      }
    });
  }

  /**
   * Commits the group, or holds it HOLD_MS more while it is smaller than the last one and still
   * growing. Under steady load the clients a group answered send their next writes within a
   * millisecond or two of each other, and some arrive after the turn that reads the others has
   * begun: committed at once, the group leaves them to the next one, and they wait a whole group
   * more (at 50 connections of `POST`, about half the requests did: bench/RESULTS.md). A lone
   * write, or a burst as large as the last, goes at once; a hold ends when a millisecond brings
   * nothing new.
   */
  #due(round: number, seen = 0, held = 0): () => void {
    return () => {
      if (round !== this.#round || !this.#scheduled) return; // flushed meanwhile (close, migration)
      const queued = this.#queue.length;
      if (queued >= 2 && queued > seen && queued < this.#lastSize && held < MAX_HOLDS) {
        setTimeout(this.#due(round, queued, held + 1), HOLD_MS);
        return;
      }
      const pending = this.#pending();
      if (pending) {
        // Off the main thread meanwhile; writes that arrive while it runs join this group.
        void pending.then(this.#due(round, Infinity, MAX_HOLDS));
        return;
      }
      this.flush();
    };
  }

  /** Commits everything queued, now. Also called before close and before a migration. */
  flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const group = this.#queue;
      this.#queue = [];
      this.#lastSize = group.length;
      this.#commit(group);
    }
  }

  #commit(group: Job[]): void {
    let done: [Job, ResultSet[]][] | null;
    try {
      this.#exec('BEGIN IMMEDIATE');
      done = this.#runTogether(group);
      if (!done) {
        this.#exec('BEGIN IMMEDIATE');
        done = this.#runApart(group);
      }
      this.#exec('COMMIT');
    } catch (err) {
      // Nothing of this group is stored: BEGIN or COMMIT failed, or SQLite rolled the whole
      // transaction back (SQLITE_FULL, an I/O error…). Every caller of the group gets the error
      // (a second reject of a batch that already failed alone is ignored by its promise).
      if (this.#inTransaction()) {
        try {
          this.#exec('ROLLBACK');
        } catch {
          // the connection has already ended it
        }
      }
      this.#ended();
      for (const job of group) job.reject(err);
      return;
    }
    this.#ended();
    for (const [job, results] of done) job.resolve(results);
  }

  /**
   * The group's batches one after another, as they are: most groups have no failing batch, and
   * a savepoint and its release per batch were two statements more on every write. When one
   * fails, the whole transaction is rolled back (null), and the group runs again batch by batch.
   */
  #runTogether(group: Job[]): [Job, ResultSet[]][] | null {
    const done: [Job, ResultSet[]][] = [];
    try {
      for (const job of group) done.push([job, job.stmts.map((stmt) => this.#statements.run(stmt))]);
      return done;
    } catch {
      if (this.#inTransaction()) this.#exec('ROLLBACK');
      return null;
    }
  }

  /** Each batch in its own SAVEPOINT: a failing one rolls back alone and rejects only its caller. */
  #runApart(group: Job[]): [Job, ResultSet[]][] {
    const done: [Job, ResultSet[]][] = [];
    for (const job of group) {
      this.#exec('SAVEPOINT batch');
      const results: ResultSet[] = [];
      try {
        for (const stmt of job.stmts) results.push(this.#statements.run(stmt));
        this.#exec('RELEASE batch');
        done.push([job, results]);
      } catch (err) {
        const failed = batchError(err, results.length);
        if (!this.#inTransaction()) throw failed;
        this.#exec('ROLLBACK TO batch');
        this.#exec('RELEASE batch');
        job.reject(failed);
      }
    }
    return done;
  }

  #exec(sql: string): void {
    this.#statements.run(sql);
  }
}

/** As @libsql/client reports a failed batch: which statement, with SQLite's codes kept. */
function batchError(err: unknown, index: number): unknown {
  if (err instanceof LibsqlError) {
    return new LibsqlBatchError(err.message, index, err.code, err.extendedCode, err.rawCode, err.cause instanceof Error ? err.cause : undefined);
  }
  return err;
}
