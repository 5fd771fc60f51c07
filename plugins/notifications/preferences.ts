import type { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { AppError } from '../../core/http/errors.ts';
import { users } from '../../core/auth/tables.ts';
import type { Platform } from '../../core/platform.ts';
import type { NotificationPreferences, UpdatePreferencesBody } from './schemas.ts';
import { notificationPreferences, type NotificationType } from './tables.ts';

export type Preferences = z.infer<typeof NotificationPreferences>;

/**
 * What a user has before changing anything: email for what needs attention (an overspent
 * budget, a reached goal, a security event), not for every milestone; push off until the
 * client subscribes.
 */
export const DEFAULT_PREFERENCES: Preferences = {
  channels: {
    email: { enabled: true, types: ['budget_alert', 'goal_achieved', 'security_alert'] },
    push: { enabled: false, subscription: null },
  },
};

export async function getPreferences(platform: Platform, userId: string): Promise<Preferences> {
  const [row] = await platform.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  if (!row) return DEFAULT_PREFERENCES;
  return {
    channels: {
      email: { enabled: row.emailEnabled, types: row.emailTypes },
      push: { enabled: row.pushEnabled, subscription: row.pushSubscription ?? null },
    },
  };
}

export const emailWanted = (prefs: Preferences, type: NotificationType) => prefs.channels.email.enabled && prefs.channels.email.types.includes(type);

/** Merges a partial update into the stored preferences (or the defaults) and saves the result. */
export async function updatePreferences(platform: Platform, userId: string, body: z.infer<typeof UpdatePreferencesBody>): Promise<Preferences> {
  const current = await getPreferences(platform, userId);
  const { email = {}, push = {} } = body.channels;
  const next: Preferences = {
    channels: {
      email: { enabled: email.enabled ?? current.channels.email.enabled, types: email.types ?? current.channels.email.types },
      push: {
        enabled: push.enabled ?? current.channels.push.enabled,
        subscription: push.subscription === undefined ? current.channels.push.subscription : push.subscription,
      },
    },
  };
  if (next.channels.push.enabled && !next.channels.push.subscription) {
    throw new AppError('VALIDATION_FAILED', 'Invalid request', [
      { path: 'json.channels.push.subscription', message: 'is required to enable push notifications' },
    ]);
  }
  const row = {
    emailEnabled: next.channels.email.enabled,
    emailTypes: next.channels.email.types,
    pushEnabled: next.channels.push.enabled,
    pushSubscription: next.channels.push.subscription,
    updatedAt: platform.clock.now().toISOString(),
  };
  await platform.db
    .insert(notificationPreferences)
    .values({ userId, ...row })
    .onConflictDoUpdate({ target: notificationPreferences.userId, set: row });
  return next;
}

/** Turns email of one type off (the unsubscribe link); a user who no longer exists gets nothing anyway. */
export async function unsubscribeEmail(platform: Platform, userId: string, type: NotificationType): Promise<void> {
  const [user] = await platform.db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) return;
  const current = await getPreferences(platform, userId);
  const types = current.channels.email.types.filter((t) => t !== type);
  if (types.length === current.channels.email.types.length) return;
  await updatePreferences(platform, userId, { channels: { email: { types } } });
}
