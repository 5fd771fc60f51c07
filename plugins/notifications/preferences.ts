import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { AppError } from '../../core/http/errors.ts';
import { users } from '../../core/auth/tables.ts';
import type { Platform } from '../../core/platform.ts';
import { checkEndpoint, hasSubscription, subscriptionStatements } from './push.ts';
import type { NotificationPreferences, UpdatePreferencesBody } from './schemas.ts';
import { notificationPreferences, pushSubscriptions, type NotificationType } from './tables.ts';

export type Preferences = z.infer<typeof NotificationPreferences>;

/** The types sent as Web Push until the user says otherwise: what a phone should ring for. */
export const DEFAULT_PUSH_TYPES: NotificationType[] = ['budget_alert', 'goal_achieved', 'goal_milestone', 'split_reminder', 'security_alert'];

/**
 * What a user has before changing anything: email for what needs attention (an overspent
 * budget, a reached goal, a security event), the welcome and the weekly summary, not for every
 * milestone; push off until the client subscribes.
 */
export const DEFAULT_PREFERENCES: Preferences = {
  channels: {
    email: { enabled: true, types: ['budget_alert', 'goal_achieved', 'security_alert', 'welcome', 'weekly_summary'] },
    push: { enabled: false, types: DEFAULT_PUSH_TYPES, subscription: null },
  },
};

type Row = typeof notificationPreferences.$inferSelect;

export const preferencesOf = (row: Row | undefined): Preferences =>
  !row
    ? DEFAULT_PREFERENCES
    : {
        channels: {
          email: { enabled: row.emailEnabled, types: row.emailTypes },
          push: { enabled: row.pushEnabled, types: row.pushTypes ?? DEFAULT_PUSH_TYPES, subscription: row.pushSubscription ?? null },
        },
      };

export async function getPreferences(platform: Platform, userId: string): Promise<Preferences> {
  const [row] = await platform.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  return preferencesOf(row);
}

export const emailWanted = (prefs: Preferences, type: NotificationType) => prefs.channels.email.enabled && prefs.channels.email.types.includes(type);
export const pushWanted = (prefs: Preferences, type: NotificationType) => prefs.channels.push.enabled && prefs.channels.push.types.includes(type);

/** The statement that stores `next` as the user's preferences, for the caller's batch. */
export function savePreferences(platform: Platform, userId: string, next: Preferences) {
  const row = {
    emailEnabled: next.channels.email.enabled,
    emailTypes: next.channels.email.types,
    pushEnabled: next.channels.push.enabled,
    pushTypes: next.channels.push.types,
    pushSubscription: next.channels.push.subscription,
    updatedAt: platform.clock.now().toISOString(),
  };
  return platform.db
    .insert(notificationPreferences)
    .values({ userId, ...row })
    .onConflictDoUpdate({ target: notificationPreferences.userId, set: row });
}

/**
 * Merges a partial update into the stored preferences (or the defaults) and saves the result.
 * The seed's `push.subscription` is kept as it was sent and is also one of the user's push
 * subscriptions (as if sent to /push/subscribe); null removes that one.
 */
export async function updatePreferences(platform: Platform, userId: string, body: z.infer<typeof UpdatePreferencesBody>): Promise<Preferences> {
  const current = await getPreferences(platform, userId);
  const { email = {}, push = {} } = body.channels;
  const next: Preferences = {
    channels: {
      email: { enabled: email.enabled ?? current.channels.email.enabled, types: email.types ?? current.channels.email.types },
      push: {
        enabled: push.enabled ?? current.channels.push.enabled,
        types: push.types ?? current.channels.push.types,
        subscription: push.subscription === undefined ? current.channels.push.subscription : push.subscription,
      },
    },
  };
  const writes: BatchItem<'sqlite'>[] = [];
  const dropped = push.subscription === null ? current.channels.push.subscription?.endpoint : undefined;
  if (push.subscription) {
    checkEndpoint(platform.config, push.subscription.endpoint, 'json.channels.push.subscription.endpoint');
    writes.push(...(await subscriptionStatements(platform, userId, push.subscription)));
  } else if (dropped) {
    writes.push(platform.db.delete(pushSubscriptions).where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, dropped))));
  }
  if (next.channels.push.enabled && !next.channels.push.subscription && !(await hasSubscription(platform, userId, dropped))) {
    throw new AppError('VALIDATION_FAILED', 'Invalid request', [
      { path: 'json.channels.push.subscription', message: 'is required to enable push notifications' },
    ]);
  }
  await platform.db.batch([savePreferences(platform, userId, next), ...writes]);
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
