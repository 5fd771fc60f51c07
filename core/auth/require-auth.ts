import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { perDatabase } from '../db/prepared-batch.ts';
import { keptPerStamp } from '../db/stamp.ts';
import { AppError } from '../http/errors.ts';
import type { AppEnv } from '../platform.ts';
import { apiKeyOf, isApiKeySecret, noteApiKeyUse } from './api-keys.ts';
import type { Scope } from './scopes.ts';
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
  /** The session the request's token belongs to; null when an API key authenticated it. */
  sessionId: string | null;
  /** The API key that authenticated the request (core/auth/api-keys.ts); null for a user's token. */
  apiKeyId: string | null;
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
  return { user: { ...user, sessionId: sid, apiKeyId: null }, revoked: revokedAt !== null, lastSeenMs: Date.parse(lastSeenAt) };
}

// Sessions kept against the database stamp (core/db/stamp.ts): a sign-out is a commit, so it
// changes the stamp, and the next request reads the session again.
const known = keptPerStamp<Found>(10_000);
const findSession = (db: Database, sid: string, sub: string) => known(db, `${sid} ${sub}`, () => read(db, sid, sub));

/** "Last seen" is kept to the minute. */
const SEEN_EVERY_MS = 60_000;

/** The environment of a route behind requireAuth: `c.get('user')` is set. */
export type AuthEnv = AppEnv & { Variables: { user: AuthUser } };

/**
 * Verifies the bearer token and loads the user and the token's session, so a deleted
 * account's or a signed-out session's tokens stop working at once and every handler sees the
 * current display settings. With `scope`, an API key that has that scope is taken too; without,
 * a valid key is refused with 403 (account management takes a user's token only).
 */
export function authenticate(scope: Scope | undefined) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    if (!header) throw new AppError('NO_TOKEN', 'No token provided');
    // Whose token it was, once its signature held: a refusal is recorded against that account.
    const subject: Subject = { userId: null };
    try {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new AppError('INVALID_TOKEN', 'Invalid token');
      const token = m[1]!;
      c.set('user', isApiKeySecret(token) ? await keyUser(c, token, scope, subject) : await sessionUser(c, token, subject));
    } catch (err) {
      noteRefusal(c, err, subject.userId);
      throw err;
    }
    await next();
  });
}

type Subject = { userId: string | null };

/** A token or key refused (forged, expired, signed out, out of scope): a security event, off the answer's path. */
function noteRefusal(c: Context<AuthEnv>, err: unknown, userId: string | null) {
  if (!(err instanceof AppError) || (err.status !== 401 && err.status !== 403)) return;
  const platform = c.get('platform');
  platform.security.note(c, {
    type: 'token_refused',
    userId,
    ip: platform.clientAddress(c as unknown as Context<AppEnv>) ?? null,
    userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null,
    detail: `${err.code} ${c.req.method} ${c.req.path}`.slice(0, 300),
  });
}

/**
 * The middleware route files name. Core replaces it, as a plugin's routes are registered, by
 * `authenticate(<the scope the route's security declares>)` (core/auth/route-auth.ts); as it
 * stands it takes user tokens only.
 */
export const requireAuth = authenticate(undefined);

async function sessionUser(c: Context<AuthEnv>, token: string, subject: Subject): Promise<AuthUser> {
  const { db, config, clock, logger } = c.get('platform');
  const { sub, sid } = verifiedBefore(token, config.JWT_SECRET) ?? (await verifyToken(token, config.JWT_SECRET));
  subject.userId = sub;
  // A token from before sessions existed cannot be signed out: it is refused (sign in again).
  if (sid === undefined) throw new AppError('INVALID_TOKEN', 'Invalid token');
  const found = await findSession(db, sid, sub);
  if (!found.user) throw new AppError('INVALID_TOKEN', 'Invalid token');
  if (found.revoked) throw new AppError('SESSION_REVOKED', 'This session has been signed out');
  const now = clock.now().getTime();
  if (now - found.lastSeenMs >= SEEN_EVERY_MS) {
    // Kept here too, so requests in the same minute do not all write before the stamp moves.
    found.lastSeenMs = now;
    // A lost update costs only a stale "last seen": it never fails the request.
    await touch(db)
      .run({ sid, now: new Date(now).toISOString() })
      .catch((err) => logger.warn('session last-seen update failed', { error: String(err) }));
  }
  return found.user;
}

async function keyUser(c: Context<AuthEnv>, token: string, scope: Scope | undefined, subject: Subject): Promise<AuthUser> {
  const { db, clock, logger } = c.get('platform');
  const key = await apiKeyOf(c.req.raw, db, token);
  if (!key) throw new AppError('INVALID_API_KEY', 'Invalid API key');
  subject.userId = key.user.id;
  const now = clock.now().getTime();
  if (key.expiresMs !== null && now >= key.expiresMs) throw new AppError('API_KEY_EXPIRED', 'This API key has expired');
  if (!scope) throw new AppError('API_KEY_NOT_ALLOWED', "This route takes a user's token, not an API key");
  if (!key.scopes.includes(scope)) {
    throw new AppError('MISSING_SCOPE', `This API key lacks the scope ${scope}`, [{ path: 'scope', message: scope }]);
  }
  await noteApiKeyUse(db, key, now, (message, fields) => logger.warn(message, fields));
  return { ...key.user, sessionId: null, apiKeyId: key.id };
}

/**
 * The session of a request on a user-token route. Such routes refuse API keys before their
 * handler runs (route-auth.ts); this keeps that promise in the types, and holds if a route
 * were ever registered without it.
 */
export function sessionIdOf(user: AuthUser): string {
  if (user.sessionId === null) throw new AppError('API_KEY_NOT_ALLOWED', "This route takes a user's token, not an API key");
  return user.sessionId;
}
