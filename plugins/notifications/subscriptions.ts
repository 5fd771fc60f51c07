import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Platform } from '../../core/platform.ts';
import { getPreferences, savePreferences } from './preferences.ts';
import { checkEndpoint, requirePush, subscriptionStatements } from './push.ts';
import type { PushSubscription } from './schemas.ts';
import { pushSubscriptions } from './tables.ts';

/** POST /push/subscribe: stores the browser's subscription and turns push on. */
export async function subscribe(platform: Platform, userId: string, sub: z.infer<typeof PushSubscription>) {
  requirePush(platform);
  checkEndpoint(platform.config, sub.endpoint, 'json.endpoint');
  const prefs = await getPreferences(platform, userId);
  const next = { channels: { ...prefs.channels, push: { ...prefs.channels.push, enabled: true } } };
  await platform.db.batch([savePreferences(platform, userId, next), ...(await subscriptionStatements(platform, userId, sub))]);
  return { success: true as const, enabled: true as const, types: next.channels.push.types };
}

/** POST /push/unsubscribe: forgets the caller's subscription with this endpoint (another user's is left alone). */
export async function unsubscribe(platform: Platform, userId: string, endpoint: string) {
  const gone = await platform.db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
    .returning({ id: pushSubscriptions.id });
  return { success: true as const, removed: gone.length > 0 };
}
