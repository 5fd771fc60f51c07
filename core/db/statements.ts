import { LibsqlError, type InArgs, type InStatement, type InValue, type ResultSet, type Row } from '@libsql/client';
import type Database from 'libsql';

type Connection = InstanceType<typeof Database>;
type Statement = ReturnType<Connection['prepare']>;
type Bindable = number | bigint | string | null | Buffer;

interface Prepared {
  stmt: Statement;
  /** Set when the statement returns rows (a select, or a write with `returning`). */
  columns: string[] | null;
  columnTypes: string[];
  /** Builds a row as @libsql/client does: column names enumerable, indices and `length` not. */
  makeRow: ((values: unknown[]) => Row) | null;
}

const VALUES = Symbol('values');

/**
 * One row shape per statement: the names are own enumerable properties (drizzle's `db.all`
 * reads them with Object.keys), the indices and `length` getters on a shared prototype
 * (drizzle's typed selects read `row[i]`, and a join may repeat a name).
 */
function rowMaker(columns: string[]): (values: unknown[]) => Row {
  const proto: Record<PropertyKey, unknown> = {};
  Object.defineProperty(proto, 'length', { value: columns.length });
  for (let i = 0; i < columns.length; i++) {
    Object.defineProperty(proto, i, { get(this: { [VALUES]: unknown[] }) { return this[VALUES][i]; } });
  }
  const names = columns.map((name, i) => [name, i] as const).filter(([name], i) => columns.indexOf(name) === i);
  return (values) => {
    const row = Object.create(proto) as Record<PropertyKey, unknown>;
    row[VALUES] = values;
    for (const [name, i] of names) row[name] = values[i];
    return row as unknown as Row;
  };
}

function toSql(value: InValue): Bindable {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value as Bindable;
}

function bindings(args: InArgs | undefined): Bindable[] | Record<string, Bindable> {
  if (!args) return [];
  if (Array.isArray(args)) return args.map(toSql);
  const named: Record<string, Bindable> = {};
  for (const [name, value] of Object.entries(args)) named[/^[@$:]/.test(name) ? name.slice(1) : name] = toSql(value);
  return named;
}

/** The driver's SqliteError as @libsql/client reports it: `code` the base code, `extendedCode` the full one. */
export function toLibsqlError(err: unknown): unknown {
  if (err instanceof Error && typeof (err as { rawCode?: unknown }).rawCode === 'number') {
    const { code, rawCode } = err as Error & { code: string; rawCode: number };
    return new LibsqlError(err.message, baseCode(rawCode) ?? code, code, rawCode, err);
  }
  return err;
}

// SQLite's primary result codes (an extended code is base | (detail << 8)).
const BASE_CODES = 'OK ERROR INTERNAL PERM ABORT BUSY LOCKED NOMEM READONLY INTERRUPT IOERR CORRUPT NOTFOUND FULL CANTOPEN PROTOCOL EMPTY SCHEMA TOOBIG CONSTRAINT MISMATCH MISUSE NOLFS AUTH FORMAT RANGE NOTADB NOTICE WARNING'.split(' ');
const baseCode = (rawCode: number) => (BASE_CODES[rawCode & 0xff] ? `SQLITE_${BASE_CODES[rawCode & 0xff]}` : undefined);

class Result implements ResultSet {
  readonly columns: string[];
  readonly columnTypes: string[];
  readonly rows: Row[];
  readonly rowsAffected: number;
  readonly lastInsertRowid: bigint | undefined;
  constructor(columns: string[], columnTypes: string[], rows: Row[], rowsAffected: number, lastInsertRowid: bigint | undefined) {
    this.columns = columns;
    this.columnTypes = columnTypes;
    this.rows = rows;
    this.rowsAffected = rowsAffected;
    this.lastInsertRowid = lastInsertRowid;
  }
  toJSON() {
    return {
      columns: this.columns,
      columnTypes: this.columnTypes,
      rows: this.rows.map((r) => Array.prototype.slice.call(r)),
      rowsAffected: this.rowsAffected,
      lastInsertRowid: this.lastInsertRowid?.toString() ?? null,
    };
  }
}

/**
 * Statements prepared once per connection and kept, most recently used last: @libsql/client's
 * file client prepares every statement on every call, which was most of the cost of a cheap
 * query (`select 1` for /health). Drizzle binds values as parameters, so the SQL texts repeat.
 */
export class StatementCache {
  readonly #cache = new Map<string, Prepared>();
  readonly #db: Connection;
  readonly #max: number;

  constructor(db: Connection, max = 500) {
    this.#db = db;
    this.#max = max;
  }

  /** Runs one statement on the connection, now; throws a LibsqlError on failure. */
  run(stmt: InStatement | string): ResultSet {
    const sql = typeof stmt === 'string' ? stmt : stmt.sql;
    const args = typeof stmt === 'string' ? undefined : stmt.args;
    try {
      const p = this.#prepared(sql);
      const bound = bindings(args);
      if (p.makeRow) {
        const rows = (p.stmt.all(bound) as unknown[][]).map(p.makeRow);
        return new Result(p.columns!, p.columnTypes, rows, 0, undefined);
      }
      const info = p.stmt.run(bound) as { changes: number; lastInsertRowid: number | bigint };
      return new Result([], [], [], info.changes, BigInt(info.lastInsertRowid));
    } catch (err) {
      throw toLibsqlError(err);
    }
  }

  /** After a schema change: a kept statement's column list may be stale. */
  clear(): void {
    this.#cache.clear();
  }

  #prepared(sql: string): Prepared {
    let p = this.#cache.get(sql);
    if (p) {
      // Most recently used goes last, so the first key is the one to evict.
      this.#cache.delete(sql);
      this.#cache.set(sql, p);
      return p;
    }
    const stmt = this.#db.prepare(sql);
    // Integers as JS numbers: every integer we store (minor units below 10^15, counters) is
    // far below 2^53, and a BigInt per value would cost more than the rest of the row.
    if (stmt.reader) {
      stmt.raw(true);
      const described = stmt.columns() as { name: string; type: string | null }[];
      const columns = described.map((c) => c.name);
      p = { stmt, columns, columnTypes: described.map((c) => c.type ?? ''), makeRow: rowMaker(columns) };
    } else {
      p = { stmt, columns: null, columnTypes: [], makeRow: null };
    }
    if (this.#cache.size >= this.#max) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(sql, p);
    return p;
  }
}
