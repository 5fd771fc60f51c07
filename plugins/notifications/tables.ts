import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';

export const NOTIFICATION_TYPES = [
  'budget_alert',
  'goal_achieved',
  'goal_milestone',
  'split_reminder',
  'security_alert',
  'recurring_expense',
  'welcome',
  'weekly_summary',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What a notification's `data` holds: flat facts a client can link from (ids, amounts). */
export type NotificationData = Record<string, string | number | boolean | null>;

export const notifications = sqliteTable(
  'notification',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type', { enum: NOTIFICATION_TYPES }).notNull(),
    title: text('title').notNull(),
    message: text('message').notNull(),
    data: text('data', { mode: 'json' }).$type<NotificationData>().notNull(),
    read: integer('read', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull(),
  },
  // Newest first by id (UUIDv7) for the list; with `read` for the filter and the unread count.
  (t) => [index('notification_user_idx').on(t.userId, t.id), index('notification_user_read_idx').on(t.userId, t.read, t.id)],
);

/** One row per user who changed their preferences; the others have the defaults (preferences.ts). */
export const notificationPreferences = sqliteTable('notification_preference', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  emailEnabled: integer('email_enabled', { mode: 'boolean' }).notNull(),
  emailTypes: text('email_types', { mode: 'json' }).$type<NotificationType[]>().notNull(),
  pushEnabled: integer('push_enabled', { mode: 'boolean' }).notNull(),
  /** The types also sent as Web Push; null: the defaults (preferences.ts). */
  pushTypes: text('push_types', { mode: 'json' }).$type<NotificationType[]>(),
  /** The Web Push subscription as the browser gave it (PushSubscription.toJSON()). */
  pushSubscription: text('push_subscription', { mode: 'json' }).$type<PushSubscriptionJson>(),
  updatedAt: text('updated_at').notNull(),
});

export interface PushSubscriptionJson {
  endpoint: string;
  expirationTime: number | null;
  keys: { p256dh: string; auth: string };
}

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'logged', 'failed', 'cancelled'] as const;
export const OUTBOX_FAILURES = ['inactive_recipient', 'invalid_address', 'gave_up'] as const;

/**
 * Emails to send, written in the same batch as the in-app notification they repeat;
 * `notification_id` is no foreign key (deleting the notification does not take back an email).
 * The delivery job (email-delivery.ts) moves each row `pending` → `sending` (claimed, committed
 * before the send) → `sent` with Postmark's message id (`logged` without Postmark), or back to
 * `pending` with a later `next_attempt_at`, or `failed` for good; `cancelled` when the user turned
 * that type off before it went out. `subject` and `body` are plain text: the job renders the
 * HTML and text parts, each value escaped, with the unsubscribe link.
 */
export const emailOutbox = sqliteTable(
  'email_outbox',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    notificationId: text('notification_id').notNull(),
    type: text('type', { enum: NOTIFICATION_TYPES }).notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    /** Sends tried, counted when claimed. */
    attempts: integer('attempts').notNull().default(0),
    /** Epoch ms: not claimed before (a retry's backoff). */
    nextAttemptAt: integer('next_attempt_at').notNull().default(0),
    /** The claim of the run sending it: its result is recorded only under the same claim. */
    claimId: text('claim_id'),
    /** Epoch ms of the claim: a `sending` row claimed long ago is asked after at Postmark, never sent blindly. */
    claimedAt: integer('claimed_at'),
    /** Postmark's MessageID once it accepted the message. */
    providerMessageId: text('provider_message_id'),
    sentAt: text('sent_at'),
    failure: text('failure', { enum: OUTBOX_FAILURES }),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('email_outbox_due_idx').on(t.status, t.nextAttemptAt), index('email_outbox_user_idx').on(t.userId, t.id)],
);

/**
 * The user's Web Push subscriptions, one per browser (at most MAX_PUSH_SUBSCRIPTIONS): from
 * POST /api/notifications/push/subscribe or the preferences' `subscription`. A push service's
 * 404 or 410 removes one (its queued messages go with it).
 */
export const pushSubscriptions = sqliteTable(
  'push_subscription',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    expirationTime: integer('expiration_time'),
    createdAt: text('created_at').notNull(),
  },
  // An endpoint is one browser's: subscribing it again (another account on it) moves it.
  (t) => [uniqueIndex('push_subscription_endpoint_idx').on(t.endpoint), index('push_subscription_user_idx').on(t.userId)],
);

export const PUSH_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;

/**
 * Web Push messages to send: one row per notification and subscription, written in the
 * notification's batch. The push job (push-delivery.ts) claims due rows (`sending`), sends
 * each and records `sent`, `pending` again later (429, 5xx, no answer), or `failed` (another
 * refusal, too many tries), or `cancelled` when the user turned push or that type off before
 * it went out. A message is a notice, not a record: a run that dies between the
 * send and its record leaves it `sending`, and it is sent again after 5 minutes (at least once).
 */
export const pushOutbox = sqliteTable(
  'push_outbox',
  {
    id: text('id').primaryKey(),
    subscriptionId: text('subscription_id')
      .notNull()
      .references(() => pushSubscriptions.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    notificationId: text('notification_id').notNull(),
    type: text('type', { enum: NOTIFICATION_TYPES }).notNull(),
    /** The JSON payload the service worker receives. */
    payload: text('payload').notNull(),
    status: text('status', { enum: PUSH_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull().default(0),
    claimId: text('claim_id'),
    claimedAt: integer('claimed_at'),
    sentAt: text('sent_at'),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('push_outbox_due_idx').on(t.status, t.nextAttemptAt), index('push_outbox_subscription_idx').on(t.subscriptionId)],
);

/** One row per user and week summarised: the weekly job never sends one week's summary twice. */
export const weeklySummaries = sqliteTable(
  'weekly_summary',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The week's first day (Monday, YYYY-MM-DD) in the user's time zone. */
    week: text('week').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ name: 'weekly_summary_pk', columns: [t.userId, t.week] })],
);
