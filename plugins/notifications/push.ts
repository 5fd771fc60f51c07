import type { z } from '@hono/zod-openapi';
import { and, count, eq, ne, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Config } from '../../core/config.ts';
import { AppError } from '../../core/http/errors.ts';
import type { Platform } from '../../core/platform.ts';
import type { PushSubscription } from './schemas.ts';
import { pushSubscriptions } from './tables.ts';

/** Browsers one user may receive push on; subscribing one more drops the oldest. */
export const MAX_PUSH_SUBSCRIPTIONS = 10;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
// Addresses no public push service has: in production a subscription may not make the server
// post to its own network.
const PRIVATE = /^(0\.|10\.|127\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[(::1|f[cd]|fe80))/i;

/**
 * A push service endpoint the server will post to: https; http only to loopback and only
 * outside production (a local stand-in in development and tests). A 400 naming `path` otherwise.
 */
export function checkEndpoint(config: Config, endpoint: string, path: string): void {
  const url = new URL(endpoint);
  const production = config.NODE_ENV === 'production';
  const ok =
    url.protocol === 'https:' ? !(production && (LOOPBACK.test(url.hostname) || PRIVATE.test(url.hostname))) : url.protocol === 'http:' && !production && LOOPBACK.test(url.hostname);
  if (!ok) {
    throw new AppError('VALIDATION_FAILED', 'Invalid request', [
      { path, message: production ? 'must be an https URL of a public push service' : 'must be https, or http to loopback' },
    ]);
  }
}

/** Whether the user has a push subscription (other than the one with endpoint `except`). */
export async function hasSubscription(platform: Platform, userId: string, except?: string): Promise<boolean> {
  const mine = eq(pushSubscriptions.userId, userId);
  const [row] = await platform.db
    .select({ n: count() })
    .from(pushSubscriptions)
    .where(except === undefined ? mine : and(mine, ne(pushSubscriptions.endpoint, except)));
  return (row?.n ?? 0) > 0;
}

/**
 * Stores a subscription for the caller's batch: an endpoint already known (this browser, maybe
 * under another account before) is taken over with its new keys; beyond
 * MAX_PUSH_SUBSCRIPTIONS the user's oldest go.
 */
export async function subscriptionStatements(platform: Platform, userId: string, sub: z.infer<typeof PushSubscription>): Promise<BatchItem<'sqlite'>[]> {
  const { db } = platform;
  const row = { userId, p256dh: sub.keys.p256dh, auth: sub.keys.auth, expirationTime: sub.expirationTime, createdAt: platform.clock.now().toISOString() };
  return [
    db
      .insert(pushSubscriptions)
      .values({ id: platform.ids.next(), endpoint: sub.endpoint, ...row })
      .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: row }),
    db.delete(pushSubscriptions).where(
      and(
        eq(pushSubscriptions.userId, userId),
        sql`${pushSubscriptions.id} not in (select id from ${pushSubscriptions} where user_id = ${userId} order by created_at desc, id desc limit ${MAX_PUSH_SUBSCRIPTIONS})`,
      ),
    ),
  ];
}

export function requirePush(platform: Platform) {
  if (!platform.push) throw new AppError('PUSH_NOT_CONFIGURED', 'Web Push is not configured on this server');
  return platform.push;
}
