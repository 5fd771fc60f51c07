import { LibsqlError, type InArgs, type InStatement, type ResultSet, type Transaction } from '@libsql/client';
import Database from 'libsql';
import { setImmediate } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { BackgroundCheckpoint, BACKSTOP_PAGES } from './checkpoint.ts';
import { GroupCommit } from './group-commit.ts';
import type { StampedClient } from './stamp.ts';
import { StatementCache, toLibsqlError } from './statements.ts';

// A lone write statement (not in a batch) joins the group commit too; anything else (selects,
// PRAGMAs, transaction control) runs at once. Drizzle writes start with one of these words.
const WRITE = /^\s*(insert|update|delete|replace)\b/i;
// Only a statement that begins so is sure to change nothing (for `stamp`).
const READ_ONLY = /^\s*select\b/i;
// A schema change may change what a kept `select *` returns: start again from fresh statements.
const SCHEMA = /^\s*(create|alter|drop)\b/i;

/** `file:path`, `file:///abs/path` or `:memory:` (a query string is ignored) → the driver's path. */
function pathOf(url: string): string {
  const bare = url.split('?')[0]!;
  if (bare === ':memory:' || bare === 'file::memory:') return ':memory:';
  if (bare.startsWith('file://')) return fileURLToPath(bare);
  if (bare.startsWith('file:')) return decodeURIComponent(bare.slice('file:'.length));
  throw new LibsqlError(`Not an embedded database URL: ${bare}`, 'URL_INVALID');
}

const unsupported = (what: string) =>
  new LibsqlError(`${what} is not supported by the embedded client; use db.batch for atomic writes`, 'NOT_SUPPORTED');

/**
 * The `Client` drizzle's libsql driver and migrator use, for a file or `:memory:` database,
 * over one connection of the `libsql` driver: statements prepared once and kept, write batches
 * group-committed. One connection is enough because the driver is synchronous (every call
 * finishes before the next starts) and it keeps per-connection PRAGMAs (synchronous,
 * busy_timeout, foreign_keys) in force for every statement. Interactive transactions would
 * interleave with other requests on that connection, so they are refused: use `batch`.
 */
export class EmbeddedClient implements StampedClient {
  closed = false;
  readonly protocol = 'file';
  #db: InstanceType<typeof Database>;
  #statements: StatementCache;
  #writer: GroupCommit;
  // A file database's WAL is checkpointed off the main thread (checkpoint.ts); null when not in
  // WAL mode (or :memory:), undefined until the first commit has looked.
  #checkpoint: BackgroundCheckpoint | null | undefined;
  // Calls that may have changed the database through this connection (see `stamp`).
  #writes = 0;
  // `stamp` runs on every authenticated request: its statement is kept apart, returning the bare
  // value (no row object, no cache bookkeeping). `all`, not `get`: the driver's `get` leaves the
  // statement unfinished, and its read snapshot then never sees another connection's commit.
  #dataVersion: ReturnType<InstanceType<typeof Database>['prepare']>;
  // Its value this turn of the event loop (see `stamp`).
  #version: unknown;

  readonly #url: string;

  constructor(url: string) {
    this.#url = url;
    this.#db = this.#open();
    this.#statements = new StatementCache(this.#db);
    this.#dataVersion = this.#db.prepare('PRAGMA data_version').pluck();
    this.#writer = this.#groupCommit();
  }

  #open() {
    try {
      return new Database(pathOf(this.#url));
    } catch (err) {
      throw toLibsqlError(err);
    }
  }

  /**
   * The background checkpoint, started at the first commit if the database is then in WAL mode
   * (the host sets the mode after opening, before any write). Not for another mode: on a rollback
   * journal its reads would hold the lock a commit needs.
   */
  #checkpointer(): BackgroundCheckpoint | null {
    if (this.#checkpoint !== undefined) return this.#checkpoint;
    const path = pathOf(this.#url);
    try {
      if (path === ':memory:' || this.#statements.run('PRAGMA journal_mode').rows[0]?.[0] !== 'wal') return (this.#checkpoint = null);
      this.#statements.run(`PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      return (this.#checkpoint = new BackgroundCheckpoint(path));
    } catch {
      return null; // a fault the commit's own caller hears of (disk, I/O); the next commit looks again
    }
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const stmt = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
    this.#checkOpen();
    if (WRITE.test(stmt.sql)) return (await this.#writer.submit([stmt]))[0]!;
    if (!READ_ONLY.test(stmt.sql)) this.#writes++; // a PRAGMA, a CTE…: counted, whatever it did
    const result = this.#statements.run(stmt);
    if (SCHEMA.test(stmt.sql)) this.#statements.clear();
    return result;
  }

  async batch(stmts: (InStatement | [string, InArgs?])[]): Promise<ResultSet[]> {
    this.#checkOpen();
    // A read-only batch is grouped too: it then reads one consistent snapshot, as promised.
    return this.#writer.submit(stmts.map((s) => (Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s)));
  }

  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    this.#checkOpen();
    this.#writes++;
    this.#writer.flush();
    const exec = (sql: string) => this.#statements.run(sql);
    exec('PRAGMA foreign_keys = off');
    try {
      exec('BEGIN');
      const results = stmts.map((s) => this.#statements.run(s));
      exec('COMMIT');
      return results;
    } finally {
      if (this.#db.inTransaction) exec('ROLLBACK');
      exec('PRAGMA foreign_keys = on');
      this.#statements.clear(); // the schema may have changed under kept statements
    }
  }

  async executeMultiple(sql: string): Promise<void> {
    this.#checkOpen();
    this.#writes++;
    this.#writer.flush();
    try {
      this.#db.exec(sql);
    } catch (err) {
      throw toLibsqlError(err);
    } finally {
      this.#statements.clear();
    }
  }

  /**
   * A value that changes whenever the database may have changed: a possible write through this
   * connection, at once, or a commit by any other (PRAGMA data_version, which ignores this
   * connection's), from the next turn of the event loop. The requests one turn handles all
   * arrived before it began, so none of them can depend on a commit made during it; reading
   * the version once a turn, not once a request, was a tenth of a cached list's CPU.
   */
  stamp(): string {
    this.#checkOpen();
    if (this.#version === undefined) {
      try {
        this.#version = (this.#dataVersion.all([]) as unknown[])[0];
      } catch (err) {
        throw toLibsqlError(err);
      }
      setImmediate(() => (this.#version = undefined));
    }
    return `${this.#writes}:${this.#version}`;
  }

  async transaction(): Promise<Transaction> {
    throw unsupported('An interactive transaction');
  }

  async sync(): Promise<never> {
    throw unsupported('sync');
  }

  close(): void {
    if (this.closed) return;
    this.#writer.flush(); // what is queued was not yet answered, but should not be lost either
    this.closed = true;
    this.#statements.clear();
    this.#db.close();
    void this.#checkpoint?.close();
    this.#checkpoint = undefined;
  }

  reconnect(): void {
    this.close();
    this.#db = this.#open();
    this.#statements = new StatementCache(this.#db);
    this.#dataVersion = this.#db.prepare('PRAGMA data_version').pluck();
    this.#writer = this.#groupCommit();
    this.#writes++; // a new connection's data_version starts afresh: no stamp from before may match
    this.closed = false;
  }

  #groupCommit() {
    return new GroupCommit(
      this.#statements,
      () => this.#db.inTransaction,
      () => {
        this.#writes++;
        this.#checkpointer()?.committed();
      },
      () => this.#checkpoint?.pending() ?? null,
    );
  }

  #checkOpen() {
    if (this.closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
  }
}
