import { z } from '@hono/zod-openapi';
import { FEED_EVENT_TYPES } from '../../core/feed/types.ts';
import { Instant, Integer, QueryInteger } from '../../core/schemas.ts';
import { DELIVERY_STATUSES } from './tables.ts';

export const MAX_WEBHOOKS_PER_USER = 20;
export const MAX_DELIVERIES_PAGE = 100;
const MAX_URL = 2048;

const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/);
export const WebhookIdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) });
export const DeliveryIdParam = z.object({
  id: Id.openapi({ param: { name: 'id', in: 'path' } }),
  deliveryId: Id.openapi({ param: { name: 'deliveryId', in: 'path' } }),
});

const Url = z
  .url({ protocol: /^https?$/ })
  .max(MAX_URL)
  .openapi({
    example: 'https://example.com/hooks/expenseflow',
    description: 'http(s); https only in production. Refused when it resolves to a private, loopback or link-local address (checked again at each delivery).',
  });
const EventTypes = z
  .array(z.enum(FEED_EVENT_TYPES))
  .min(1)
  .max(FEED_EVENT_TYPES.length)
  .nullable()
  .openapi({ description: 'The event types sent; null (the default) for every type' });
const Description = z.string().max(200).nullable();

export const CreateWebhookBody = z
  .object({
    url: Url,
    eventTypes: EventTypes.optional(),
    description: Description.optional(),
    active: z.boolean().optional().openapi({ description: 'Default true; an inactive webhook is sent nothing' }),
  })
  .openapi('CreateWebhook');

export const UpdateWebhookBody = z
  .object({ url: Url.optional(), eventTypes: EventTypes.optional(), description: Description.optional(), active: z.boolean().optional() })
  .openapi('UpdateWebhook');

export const Webhook = z
  .object({
    _id: z.string().max(64),
    url: z.string().max(MAX_URL),
    description: Description,
    eventTypes: EventTypes,
    active: z.boolean(),
    previousSecretExpiresAt: Instant.nullable().openapi({ description: 'After a rotation: until when deliveries are also signed with the previous secret' }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('Webhook');

const Secret = z.string().max(100).openapi({
  example: 'whsec_3q2-7wE…',
  description: 'The signing secret, shown only now. Verify `ExpenseFlow-Signature: t=<unix>,v1=<hex>`: the hex HMAC-SHA256 of `<t>.<body>` keyed with this whole string',
});

export const WebhookWithSecret = Webhook.extend({ secret: Secret }).openapi('WebhookWithSecret');

export const RotatedSecret = z
  .object({
    secret: Secret,
    previousSecretExpiresAt: Instant.openapi({ description: 'Until then each delivery carries a second v1= signature, made with the previous secret' }),
  })
  .openapi('RotatedSecret');

export const Delivery = z
  .object({
    _id: z.string().max(64),
    webhookId: z.string().max(64),
    eventSeq: Integer(1, Number.MAX_SAFE_INTEGER).nullable().openapi({ description: "The feed event's seq; null for a ping" }),
    eventType: z.string().max(40).openapi({ description: 'A feed event type, or `ping`' }),
    status: z.enum(DELIVERY_STATUSES),
    attempts: Integer(0, 1000),
    nextAttemptAt: Instant.nullable().openapi({ description: 'When it is tried again, while pending' }),
    responseStatus: Integer(100, 599).nullable().openapi({ description: "The receiver's last HTTP status; null when none came back" }),
    lastError: z.string().max(500).nullable(),
    redeliveryOf: z.string().max(64).nullable(),
    createdAt: Instant,
    lastAttemptAt: Instant.nullable(),
    deliveredAt: Instant.nullable(),
  })
  .openapi('WebhookDelivery');

export const DeliveriesQuery = z.object({
  limit: QueryInteger(1, MAX_DELIVERIES_PAGE).default(50),
  before: Id.optional().openapi({ description: 'Only deliveries older than this one (the last `_id` of the previous page)' }),
});

export const DeliveriesPage = z.object({ deliveries: z.array(Delivery).max(MAX_DELIVERIES_PAGE), hasMore: z.boolean() }).openapi('WebhookDeliveries');
