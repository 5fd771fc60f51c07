import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { createMiddleware } from 'hono/factory';
import { perDatabase } from '../db/prepared-batch.ts';
import { databaseStamp } from '../db/stamp.ts';
import { AppError } from '../http/errors.ts';
import type { Context } from 'hono';
import type { AppEnv } from '../platform.ts';
import { verifiedBefore, verifyToken } from './jwt.ts';
import { sessions, users } from './tables.ts';

/** What every authenticated handler gets: the id and what shapes answers, nothing more (it is read per request). */
export interface AuthUser {
  id: string;
  currency: string;
  timeZone: string;
  language: string;
  /** Changes whenever the user's data does: a key for cached reads. */
  dataVersion: number;
  /** The session the request's token belongs to. */
  sessionId: string;
}

// Prepared once per database: this lookup runs on every authenticated request. One query for
// the user and the token's session, by primary keys.
const lookup = perDatabase((db: Database) =>
  db
    .select({
      id: users.id,
      currency: users.currency,
      timeZone: users.timeZone,
      language: users.language,
      dataVersion: users.dataVersion,
      lastSeenAt: sessions.lastSeenAt,
      revokedAt: sessions.revokedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder('sid')), eq(sessions.userId, sql.placeholder('sub'))))
    .prepare());

const touch = perDatabase((db: Database) =>
  db
    .update(sessions)
    .set({ lastSeenAt: sql.placeholder('now') as unknown as string })
    .where(eq(sessions.id, sql.placeholder('sid')))
    .prepare());

/** A session as requireAuth needs it: its user (undefined: no such session of that user), whether it was signed out. */
interface Found {
  user: AuthUser | undefined;
  revoked: boolean;
  lastSeenMs: number;
}

async function read(db: Database, sid: string, sub: string): Promise<Found> {
  const row = await lookup(db).get({ sid, sub });
  if (!row) return { user: undefined, revoked: false, lastSeenMs: 0 };
  const { lastSeenAt, revokedAt, ...user } = row;
  return { user: { ...user, sessionId: sid }, revoked: revokedAt !== null, lastSeenMs: Date.parse(lastSeenAt) };
}

// Sessions read per database, each with the database stamp it was read under (core/db/stamp.ts):
// a sign-out is a commit, so it changes the stamp, and the next request reads the session again.
const known = perDatabase(() => new Map<string, { stamp: string; sub: string; found: Found }>());
const MAX_KNOWN = 10_000;

async function findSession(db: Database, sid: string, sub: string): Promise<Found> {
  const stamp = databaseStamp(db);
  if (stamp === null) return read(db, sid, sub);
  const kept = known(db).get(sid);
  if (kept?.stamp === stamp && kept.sub === sub) return kept.found;
  const found = await read(db, sid, sub);
  const map = known(db);
  if (map.size >= MAX_KNOWN) map.clear();
  map.set(sid, { stamp, sub, found });
  return found;
}

/** "Last seen" is kept to the minute. */
const SEEN_EVERY_MS = 60_000;

/**
 * Verifies the bearer token and loads the user and the token's session, so a deleted
 * account's or a signed-out session's tokens stop working at once and every handler sees the
 * current display settings.
 */
export const requireAuth = createMiddleware<AppEnv & { Variables: { user: AuthUser } }>(async (c, next) => {
  const header = c.req.header('authorization');
  if (!header) throw new AppError('NO_TOKEN', 'No token provided');
  const { db, config, clock, logger, security } = c.var.platform;
  // A token refused (forged, expired, signed out): a security event, with its user once the signature held.
  let subject: string | null = null;
  const refuse = (err: unknown) => {
    if (err instanceof AppError) {
      security.note(c, {
        type: 'token_refused',
        userId: subject,
        ip: c.var.platform.clientAddress(c as unknown as Context<AppEnv>) ?? null,
        userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null,
        detail: `${err.code} ${c.req.method} ${c.req.path}`.slice(0, 300),
      });
    }
    return err;
  };
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw refuse(new AppError('INVALID_TOKEN', 'Invalid token'));
  let claims = verifiedBefore(m[1]!, config.JWT_SECRET);
  try {
    claims ??= await verifyToken(m[1]!, config.JWT_SECRET);
  } catch (err) {
    throw refuse(err);
  }
  const { sub, sid } = claims;
  subject = sub;
  // A token from before sessions existed cannot be signed out: it is refused (sign in again).
  if (sid === undefined) throw refuse(new AppError('INVALID_TOKEN', 'Invalid token'));
  const found = await findSession(db, sid, sub);
  if (!found.user) throw refuse(new AppError('INVALID_TOKEN', 'Invalid token'));
  if (found.revoked) throw refuse(new AppError('SESSION_REVOKED', 'This session has been signed out'));
  const now = clock.now().getTime();
  if (now - found.lastSeenMs >= SEEN_EVERY_MS) {
    // Kept here too, so requests in the same minute do not all write before the stamp moves.
    found.lastSeenMs = now;
    // A lost update costs only a stale "last seen": it never fails the request.
    await touch(db)
      .run({ sid, now: new Date(now).toISOString() })
      .catch((err) => logger.warn('session last-seen update failed', { error: String(err) }));
  }
  c.set('user', found.user);
  await next();
});
