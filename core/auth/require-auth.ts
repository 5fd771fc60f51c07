import { eq } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../http/errors.ts';
import type { AppEnv } from '../platform.ts';
import { verifyToken } from './jwt.ts';
import { users } from './tables.ts';

export interface AuthUser {
  id: string;
  name: string;
  email: string;
  currency: string;
  timeZone: string;
  language: string;
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
  const userId = await verifyToken(m[1]!, config.JWT_SECRET);
  const [user] = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      currency: users.currency,
      timeZone: users.timeZone,
      language: users.language,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) throw new AppError('INVALID_TOKEN', 'Invalid token');
  c.set('user', user);
  await next();
});
