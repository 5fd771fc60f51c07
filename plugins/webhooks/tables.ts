import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';
import type { FeedEventType } from '../../core/feed/types.ts';

/**
 * A user's webhook: where their feed's events (core/feed) are sent. `cursor` is the last feed
 * seq handed to deliveries: the delivery job reads the feed after it, so an event committed
 * while a run goes on is picked up by the next, never skipped (seqs follow commit order).
 */
export const webhooks = sqliteTable(
  'webhook',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description'),
    /** The types sent; null for every type. */
    eventTypes: text('event_types', { mode: 'json' }).$type<FeedEventType[]>(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** The signing secret, sealed (secrets.ts). */
    secret: text('secret').notNull(),
    /** After a rotation, the secret before it, also signed with until `previous_expires_at` (epoch ms). */
    previousSecret: text('previous_secret'),
    previousExpiresAt: integer('previous_expires_at'),
    cursor: integer('cursor').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('webhook_user_idx').on(t.userId, t.id)],
);

export const DELIVERY_STATUSES = ['pending', 'sending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event to send to one webhook, and how its tries went: `pending` (due at
 * `next_attempt_at`) → `sending` (claimed by a run, committed before the request) →
 * `succeeded` on a 2xx, or `pending` again with a later `next_attempt_at`, or `failed` once
 * 24 hours have passed since it was created. `body` is the exact JSON sent, so a retry or a
 * redelivery sends the same bytes (newly signed).
 */
export const webhookDeliveries = sqliteTable(
  'webhook_delivery',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    /** The feed event's seq; null for a ping. */
    eventSeq: integer('event_seq'),
    /** A feed event type, or `ping`. */
    eventType: text('event_type').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    claimId: text('claim_id'),
    claimedAt: integer('claimed_at'),
    /** The last try's HTTP status; null when none came back (refused, timed out, unreachable). */
    responseStatus: integer('response_status'),
    lastError: text('last_error'),
    /** The delivery this one repeats (POST …/redeliver), or null. */
    redeliveryOf: text('redelivery_of'),
    /** Epoch ms: tries stop 24 hours after it. */
    createdMs: integer('created_ms').notNull(),
    createdAt: text('created_at').notNull(),
    lastAttemptAt: text('last_attempt_at'),
    deliveredAt: text('delivered_at'),
  },
  (t) => [
    // One delivery per event and webhook from the fan-out, however often it runs; redeliveries are extra rows.
    uniqueIndex('webhook_delivery_event_unique').on(t.webhookId, t.eventSeq).where(sql`event_seq is not null and redelivery_of is null`),
    index('webhook_delivery_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_delivery_webhook_idx').on(t.webhookId, t.id),
  ],
);
