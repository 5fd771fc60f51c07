import type { Platform } from '../../core/platform.ts';
import type { PluginListeners } from '../../core/plugin.ts';
import { eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { emailWanted, getPreferences, pushWanted } from './preferences.ts';
import { pushPayload } from './push-delivery.ts';
import { MAX_MESSAGE, MAX_TITLE } from './schemas.ts';
import type { NotificationDraft, Templates, UserEventName } from './templates.ts';
import { emailOutbox, notifications, pushOutbox, pushSubscriptions } from './tables.ts';

// Cut by code units, but never inside a surrogate pair (half an emoji is not text).
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '')}…`);

/**
 * Stores the in-app notification and, when the user's preferences take its type, the email
 * and the Web Push messages (one per subscription) to send, in one batch: all or nothing. Then announces it (`notification.created`).
 */
export async function deliver(platform: Platform, userId: string, draft: NotificationDraft): Promise<void> {
  const prefs = await getPreferences(platform, userId);
  const now = platform.clock.now().toISOString();
  const notification = {
    id: platform.ids.next(),
    userId,
    type: draft.type,
    title: clip(draft.title, MAX_TITLE),
    message: clip(draft.message, MAX_MESSAGE),
    data: draft.data,
    read: false,
    createdAt: now,
  };
  const { db } = platform;
  const inApp = draft.inApp !== false;
  const writes: BatchItem<'sqlite'>[] = inApp ? [db.insert(notifications).values(notification)] : [];
  if (emailWanted(prefs, draft.type)) {
    writes.push(
      db.insert(emailOutbox).values({
        id: platform.ids.next(),
        userId,
        notificationId: notification.id,
        type: draft.type,
        subject: notification.title,
        // Plain text; the delivery job renders the parts, the greeting and the unsubscribe link.
        body: notification.message,
        status: 'pending',
        createdAt: now,
      }),
    );
  }
  // Without VAPID keys nothing could send them: none is queued.
  if (inApp && platform.push && pushWanted(prefs, draft.type)) {
    const targets = await db.select({ id: pushSubscriptions.id }).from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
    const payload = pushPayload(notification);
    for (const t of targets) {
      writes.push(
        db.insert(pushOutbox).values({ id: platform.ids.next(), subscriptionId: t.id, userId, notificationId: notification.id, type: draft.type, payload, createdAt: now }),
      );
    }
  }
  // One batch: the notification and its email and push messages land together or not at all.
  const [first, ...more] = writes;
  if (!first) return;
  if (more.length === 0) await first;
  else await db.batch([first, ...more]);
  if (!inApp) return;
  // After the commit: the user's connected devices get it (the sync plugin listens).
  const { id, userId: _owner, ...rest } = notification;
  await platform.events.emit('notification.created', { userId, notification: { _id: id, ...rest } });
}

/** A listener per template: the event's user gets the notification the template drafts. */
export function listenersFor(templates: Templates): PluginListeners {
  const listeners: Record<string, (payload: { userId: string }, platform: Platform) => Promise<void>> = {};
  for (const [event, template] of Object.entries(templates) as [UserEventName, (payload: { userId: string }) => NotificationDraft][]) {
    listeners[event] = (payload, platform) => deliver(platform, payload.userId, template(payload));
  }
  return listeners as PluginListeners;
}
