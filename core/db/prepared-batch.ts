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
  const built = new WeakMap<Database, { sql: string; params: unknown[] }[]>();
  return (db: Database, values: Values): Promise<ResultSet[]> => {
    let statements = built.get(db);
    if (!statements) {
      statements = build(db).map((s) => ('toSQL' in s ? s.toSQL() : dialect.sqlToQuery(s)));
      built.set(db, statements);
    }
    return db.$client.batch(statements.map((s) => ({ sql: s.sql, args: fillPlaceholders(s.params, values) as InValue[] })));
  };
}
