/**
 * Database faults with a known cause. Each is the server's state, not the request's fault:
 * the client gets a 503 with Retry-After naming it, never a 500.
 */
export const DATABASE_FAULTS = ['STORAGE_FULL', 'DATABASE_BUSY', 'DATABASE_UNAVAILABLE'] as const;
export type DatabaseFault = (typeof DATABASE_FAULTS)[number];

/** How long a client should wait before retrying, in seconds. */
export const retryAfter: Record<DatabaseFault, number> = {
  STORAGE_FULL: 60,
  DATABASE_BUSY: 2,
  DATABASE_UNAVAILABLE: 5,
};

const byCode: [RegExp, DatabaseFault][] = [
  [/^(SQLITE_FULL|ENOSPC|EDQUOT)/, 'STORAGE_FULL'],
  [/^SQLITE_(BUSY|LOCKED)/, 'DATABASE_BUSY'],
  // A file that cannot be opened or read, a libSQL server (sqld, Turso) that does not answer.
  [
    /^(SQLITE_CANTOPEN|SQLITE_IOERR|SQLITE_READONLY|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|UND_ERR_|SERVER_ERROR|HRANA_WEBSOCKET_ERROR|CLIENT_CLOSED)/,
    'DATABASE_UNAVAILABLE',
  ],
];

// Messages without a code: undici's "fetch failed" (the code is on its cause), workerd's lost connection.
const byMessage = /^(fetch failed|Network connection lost)/;

/** The fault behind `err`, looking through wrappers (drizzle's query error, fetch's cause). */
export function databaseFault(err: unknown): DatabaseFault | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      for (const [pattern, fault] of byCode) if (pattern.test(code)) return fault;
    }
  }
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (byMessage.test(e.message)) return 'DATABASE_UNAVAILABLE';
  }
  return null;
}
