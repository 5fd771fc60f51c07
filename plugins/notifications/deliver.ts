import type { Platform } from '../../core/platform.ts';
import type { PluginListeners } from '../../core/plugin.ts';
import { emailWanted, getPreferences } from './preferences.ts';
import { MAX_MESSAGE, MAX_TITLE } from './schemas.ts';
import type { NotificationDraft, Templates, UserEventName } from './templates.ts';
import { emailOutbox, notifications } from './tables.ts';

// Cut by code units, but never inside a surrogate pair (half an emoji is not text).
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '')}…`);

/**
 * Stores the in-app notification and, when the user's email preference takes its type, the
 * email to send, in one batch: both or neither. Then announces it (`notification.created`).
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
  const insertNotification = db.insert(notifications).values(notification);
  if (!emailWanted(prefs, draft.type)) {
    await insertNotification;
  } else {
    await db.batch([
      insertNotification,
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
    ]);
  }
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
