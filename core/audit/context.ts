import type { Client, InArgs, InStatement, ResultSet, TransactionMode } from '@libsql/client';
import type { Context } from 'hono';
import { tryGetContext } from 'hono/context-storage';
import type { AppEnv } from '../platform.ts';

// Drizzle writes start with one of these words (as the embedded client reads them).
const WRITE = /^\s*(insert|update|delete|replace)\b/i;
// The sealer's own writes (core/audit/chain.ts) need no writer, and may run after the request has closed.
const SEALING = /^\s*(insert\s+into|update)\s+["`]?audit_(log|head)\b/i;
const needsWriter = (sql: string) => WRITE.test(sql) && !SEALING.test(sql);
const sqlOf = (s: InStatement | [string, InArgs?]) => (Array.isArray(s) ? s[0] : typeof s === 'string' ? s : s.sql);

const SET = 'insert or replace into audit_context (id, user_id, request_id, ip) values (1, ?, ?, ?)';
const CLEAR = 'delete from audit_context';

// Requests that sent a write: only they have audit rows to seal (core/app.ts).
const wrote = new WeakSet<Context>();

/** Whether this request sent a write to the database (through a client made by withAuditContext). */
export const wroteDuring = (c: Context) => wrote.has(c);

/** Who writes: the signed-in user (once requireAuth has run), the request id, the client's address. */
function writer(): [string | null, string | null, string | null] | undefined {
  const c = tryGetContext<AppEnv>() as Context<AppEnv> | undefined;
  if (!c) return undefined;
  wrote.add(c);
  const user = (c.get('user' as never) as { id: string } | undefined);
  return [user?.id ?? null, c.get('requestId') ?? null, addressOf(c)];
}

function addressOf(c: Context<AppEnv>): string | null {
  try {
    return c.get('platform')?.clientAddress(c) ?? null;
  } catch {
    // Work a request started and that writes after its answer (Deno refuses to read a closed request's address).
    return null;
  }
}

/**
 * Makes every write batch sent within a request carry its writer for the audit triggers
 * (core/audit/triggers.ts): the batch is sent as [set audit_context, …the batch…, clear it],
 * and its callers get their own statements' results only. A lone write becomes such a batch.
 * Outside a request (jobs, scripts, migrations) the client is used as it is: the triggers then
 * log the row's owner and no request.
 *
 * The request is found through Hono's context storage (AsyncLocalStorage, on every host), so
 * no plugin passes anything: every write of every plugin is attributed.
 */
export function withAuditContext<C extends Client>(client: C): C {
  const batch = client.batch.bind(client);
  const execute = client.execute.bind(client);
  const wrapped = (stmts: (InStatement | [string, InArgs?])[], mode?: TransactionMode) => {
    const who = stmts.some((s) => needsWriter(sqlOf(s))) ? writer() : undefined;
    if (!who) return batch(stmts, mode);
    return batch([{ sql: SET, args: who }, ...stmts, CLEAR], mode).then((results) => results.slice(1, -1));
  };
  client.batch = wrapped as C['batch'];
  client.execute = ((stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> => {
    const stmt: InStatement = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
    if (!needsWriter(stmt.sql)) return execute(stmt);
    const who = writer();
    if (!who) return execute(stmt);
    return batch([{ sql: SET, args: who }, stmt, CLEAR], 'write').then((results) => results[1]!);
  }) as C['execute'];
  return client;
}
