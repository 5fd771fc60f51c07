import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { createMiddleware } from 'hono/factory';
import { perDatabase } from '../db/prepared-batch.ts';
import { AppError } from '../http/errors.ts';
import type { AppEnv } from '../platform.ts';
import { verifyToken } from './jwt.ts';
import { users } from './tables.ts';

/** What every authenticated handler gets: the id and what shapes answers, nothing more (it is read per request). */
export interface AuthUser {
  id: string;
  currency: string;
  timeZone: string;
  language: string;
  /** Changes whenever the user's data does: a key for cached reads. */
  dataVersion: number;
}

// Prepared once per database: this lookup runs on every authenticated request.
const lookup = perDatabase((db: Database) =>
  db
    .select({
      id: users.id,
      currency: users.currency,
      timeZone: users.timeZone,
      language: users.language,
      dataVersion: users.dataVersion,
    })
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare());

function findUser(db: Database, id: string) {
  return lookup(db).get({ id });
}

/**
 * Verifies the bearer token and loads the user, so a deleted account's tokens stop working
 * and every handler sees the current display settings.
 */
export const requireAuth = createMiddleware<AppEnv & { Variables: { user: AuthUser } }>(async (c, next) => {
  const header = c.req.header('authorization');
  if (!header) throw new AppError('NO_TOKEN', 'No token provided');
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw new AppError('INVALID_TOKEN', 'Invalid token');
  const { db, config } = c.var.platform;
  const { sub: userId } = await verifyToken(m[1]!, config.JWT_SECRET);
  const user = await findUser(db, userId);
  if (!user) throw new AppError('INVALID_TOKEN', 'Invalid token');
  c.set('user', user);
  await next();
});
