import type { InValue, ResultSet } from '@libsql/client';
import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import type { Database } from './client.ts';

/** A drizzle query builder, or a `sql` template (for a select of computed values). */
type Statement = { toSQL(): { sql: string; params: unknown[] } } | SQL;

const dialect = new SQLiteAsyncDialect();

/**
 * Statements built once, with `sql.placeholder(name)` where values go, then run as one atomic
 * batch per call with the values filled in. For a hot write path: drizzle's builders cost more
 * per request than the write itself (a 16-column insert built per POST was the largest part of
 * drizzle's share in a profile of `npm run bench`).
 *
 * A placeholder in a column keeps that column's encoder (a JSON column takes the value, not its
 * text). Results are the driver's, one per statement, rows by column name.
 */
export function preparedBatch<Values extends Record<string, unknown>>(build: (db: Database) => Statement[]) {
  const built = perDatabase((db) => build(db).map((s) => ('toSQL' in s ? s.toSQL() : dialect.sqlToQuery(s))));
  return (db: Database, values: Values): Promise<ResultSet[]> =>
    db.$client.batch(built(db).map((s) => ({ sql: s.sql, args: fillPlaceholders(s.params, values) as InValue[] })));
}

/**
 * A read built once, with `sql.placeholder(name)` where values go, run with the values filled
 * in: for a read on a hot path whose shape is always the same. Rows by column name, as
 * `db.all` gives them.
 */
export function preparedAll<Row, Values extends Record<string, unknown>>(build: () => SQL) {
  // Its text depends on no database: built at the first call, the same for every one.
  let built: { sql: string; params: unknown[] } | undefined;
  return async (db: Database, values: Values): Promise<Row[]> => {
    const { sql, params } = (built ??= dialect.sqlToQuery(build()));
    return (await db.$client.execute({ sql, args: fillPlaceholders(params, values) as InValue[] })).rows as Row[];
  };
}

/**
 * `build(db)` made once per database and kept: for a prepared statement that runs on a hot
 * path (every authenticated request, every expense write), not rebuilt per call.
 */
export function perDatabase<T>(build: (db: Database) => T): (db: Database) => T {
  const made = new WeakMap<Database, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) made.set(db, (value = build(db)));
    return value;
  };
}
