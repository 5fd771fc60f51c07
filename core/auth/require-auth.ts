import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { createMiddleware } from 'hono/factory';
import { perDatabase } from '../db/prepared-batch.ts';
import { AppError } from '../http/errors.ts';
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
// the user and their session, by primary keys.
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

/** "Last seen" is kept to the minute. */
const SEEN_EVERY_MS = 60_000;

/**
 * Verifies the bearer token and loads the user and the token's session, so a deleted
 * account's or a revoked session's tokens stop working at once and every handler sees the
 * current display settings.
 */
export const requireAuth = createMiddleware<AppEnv & { Variables: { user: AuthUser } }>(async (c, next) => {
  const header = c.req.header('authorization');
  if (!header) throw new AppError('NO_TOKEN', 'No token provided');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw new AppError('INVALID_TOKEN', 'Invalid token');
  const { db, config, clock, logger } = c.var.platform;
  const { sub, sid } = verifiedBefore(m[1]!, config.JWT_SECRET) ?? (await verifyToken(m[1]!, config.JWT_SECRET));
  // A token from before sessions existed cannot be revoked: it is refused (sign in again).
  if (sid === undefined) throw new AppError('INVALID_TOKEN', 'Invalid token');
  const row = await lookup(db).get({ sid, sub });
  if (!row) throw new AppError('INVALID_TOKEN', 'Invalid token');
  if (row.revokedAt !== null) throw new AppError('SESSION_REVOKED', 'This session has been signed out');
  const { lastSeenAt, revokedAt: _, ...user } = row;
  const now = clock.now();
  if (now.getTime() - Date.parse(lastSeenAt) >= SEEN_EVERY_MS) {
    // A lost update costs only a stale "last seen": it never fails the request.
    await touch(db)
      .run({ sid, now: now.toISOString() })
      .catch((err) => logger.warn('session last-seen update failed', { error: String(err) }));
  }
  c.set('user', { ...user, sessionId: sid });
  await next();
});
