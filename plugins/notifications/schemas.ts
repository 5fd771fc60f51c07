import { z } from '@hono/zod-openapi';
import { MAX_PAGE_SIZE, pagingQuery } from '../../core/http/paging.ts';
import { Instant, Integer } from '../../core/schemas.ts';
import { NOTIFICATION_TYPES } from './tables.ts';
import { UNSUBSCRIBE_CODE } from './unsubscribe.ts';

export const MAX_TITLE = 300;
export const MAX_MESSAGE = 2000;

const Id = z.string().max(64).openapi({ example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' });

export const NotificationType = z.enum(NOTIFICATION_TYPES);

export const Notification = z
  .object({
    _id: Id,
    type: NotificationType,
    title: z.string().max(MAX_TITLE).openapi({ example: 'Goal milestone: Emergency Fund' }),
    message: z.string().max(MAX_MESSAGE).openapi({ example: 'You reached 50% of your goal “Emergency Fund”: $5,000.00 of $10,000.00.' }),
    data: z
      .record(z.string().max(64), z.union([z.string().max(200), z.number(), z.boolean(), z.null()]))
      .openapi({ example: { goalId: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f', milestone: 50 }, description: 'The facts behind it (ids, amounts), by type' }),
    read: z.boolean(),
    createdAt: Instant,
  })
  .openapi('Notification');

export const NotificationList = z.array(Notification).max(MAX_PAGE_SIZE).openapi('NotificationList');

export const NotificationIdParam = z.object({
  id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' }),
});

export const ListNotificationsQuery = z.object({
  // Exactly "true" or "false": z.coerce.boolean would read "no" or "0" as true.
  read: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true'))
    .openapi({ type: 'string', enum: ['true', 'false'], description: 'Only read (`true`) or only unread (`false`) notifications' }),
  ...pagingQuery,
});

// A count of rows: nothing bounds how many a user gathers but the numbers themselves.
const Count = Integer(0, Number.MAX_SAFE_INTEGER);

export const UnreadCount = z.object({ count: Count.openapi({ example: 3 }) }).openapi('UnreadNotificationCount');

export const MarkedAllRead = z
  .object({
    success: z.literal(true),
    marked: Count.openapi({ example: 3, description: 'How many unread notifications were marked read' }),
  })
  .openapi('NotificationsMarkedRead');

export const PushSubscription = z
  .object({
    endpoint: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .openapi({ example: 'https://fcm.googleapis.com/fcm/send/abc123', description: 'The push service URL: https (http to loopback only outside production)' }),
    expirationTime: Integer(0, 8.64e15).nullable().default(null).openapi({ description: 'Epoch milliseconds, or null' }),
    keys: z.object({
      // Exactly what RFC 8291 takes: a 65-byte uncompressed point and a 16-byte secret.
      p256dh: z
        .string()
        .max(88)
        .regex(/^B[A-Za-z0-9_-]{86}=?$/, 'must be an uncompressed P-256 public key, base64url')
        .openapi({ description: 'The client’s P-256 public key, base64url (65 bytes)' }),
      auth: z
        .string()
        .max(24)
        .regex(/^[A-Za-z0-9_-]{22}(==)?$/, 'must be 16 bytes, base64url')
        .openapi({ description: 'The authentication secret, base64url (16 bytes)' }),
    }),
  })
  .openapi('PushSubscription', { description: 'A Web Push subscription, as PushSubscription.toJSON() gives it' });

const EmailTypes = z
  .array(NotificationType)
  .max(NOTIFICATION_TYPES.length * 2)
  .transform((types) => [...new Set(types)]);

export const NotificationPreferences = z
  .object({
    channels: z.object({
      email: z.object({
        enabled: z.boolean(),
        types: z.array(NotificationType).max(NOTIFICATION_TYPES.length).openapi({ description: 'The types also sent by email' }),
      }),
      push: z.object({
        enabled: z.boolean(),
        types: z.array(NotificationType).max(NOTIFICATION_TYPES.length).openapi({ description: 'The types also sent as Web Push' }),
        subscription: PushSubscription.nullable().openapi({ description: 'The subscription last sent with the preferences (POST /push/subscribe adds more)' }),
      }),
    }),
  })
  .openapi('NotificationPreferences', { description: 'In-app notifications are always on; these are the extra channels' });

export const UpdatePreferencesBody = z
  .object({
    channels: z.object({
      email: z.object({ enabled: z.boolean().optional(), types: EmailTypes.optional() }).optional(),
      push: z
        .object({
          enabled: z.boolean().optional(),
          types: EmailTypes.optional().openapi({ description: 'The types sent as Web Push (replaced as a whole)' }),
          subscription: PushSubscription.nullable().optional().openapi({ description: 'null removes it (push must then be disabled)' }),
        })
        .optional(),
    }),
  })
  .openapi('UpdateNotificationPreferencesRequest', {
    description:
      'Partial: what is sent replaces that setting, the rest stays (`types` is replaced as a whole). Enabling push needs a subscription, sent now or stored before.',
  });

export const UnsubscribeQuery = z.object({
  code: z
    .string()
    .max(200)
    .regex(UNSUBSCRIBE_CODE, 'must be the code of an unsubscribe link')
    .openapi({ param: { name: 'code', in: 'query' }, description: 'From the link in the email (signed: no login needed)' }),
});

export const Unsubscribed = z
  .object({
    success: z.literal(true),
    type: NotificationType,
    message: z.string().max(200).openapi({ example: 'You will get no more emails about budget alerts.' }),
  })
  .openapi('Unsubscribed');

export const VapidKey = z
  .object({
    publicKey: z
      .string()
      .max(87)
      .regex(/^B[A-Za-z0-9_-]{86}$/)
      .openapi({ description: 'The applicationServerKey for PushManager.subscribe (uncompressed P-256 point, base64url)', example: 'BJsqMADJzdkQ7H_IJ0zfIEWsGZIeIxHTntQXG1Ivf_roE4CW9Ax5y6hf4hnwfKcITu7Pjdtcpv7g5jIvp9fVi6A' }),
  })
  .openapi('VapidKey');

export const PushSubscribed = z
  .object({
    success: z.literal(true),
    enabled: z.literal(true),
    types: z.array(NotificationType).max(NOTIFICATION_TYPES.length).openapi({ description: 'The types sent as Web Push (change them in the preferences)' }),
  })
  .openapi('PushSubscribed');

export const PushUnsubscribeBody = z
  .object({ endpoint: z.url({ protocol: /^https?$/ }).max(2048).openapi({ description: 'The endpoint of the subscription to forget' }) })
  .openapi('PushUnsubscribeRequest');

export const PushUnsubscribed = z
  .object({ success: z.literal(true), removed: z.boolean().openapi({ description: 'false when the caller had no subscription with that endpoint' }) })
  .openapi('PushUnsubscribed');
