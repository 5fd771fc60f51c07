import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { users } from '../../core/auth/tables.ts';
import { AppError, notFound } from '../../core/http/errors.ts';
import type { Platform } from '../../core/platform.ts';
import { refusal } from './destination.ts';
import { MAX_WEBHOOKS_PER_USER, type CreateWebhookBody, type Delivery, type UpdateWebhookBody, type Webhook } from './schemas.ts';
import { newSecret, sealSecret } from './secrets.ts';
import { webhookDeliveries, webhooks } from './tables.ts';

/** How long a rotated-out secret still signs deliveries (a second v1=), so receivers can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60_000;

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export function webhookView(platform: Platform, r: WebhookRow): z.infer<typeof Webhook> {
  const overlap = r.previousExpiresAt !== null && r.previousExpiresAt > platform.clock.now().getTime();
  return {
    _id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: r.eventTypes,
    active: r.active,
    previousSecretExpiresAt: overlap ? new Date(r.previousExpiresAt!).toISOString() : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function deliveryView(r: DeliveryRow): z.infer<typeof Delivery> {
  return {
    _id: r.id,
    webhookId: r.webhookId,
    eventSeq: r.eventSeq,
    eventType: r.eventType,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? new Date(r.nextAttemptAt).toISOString() : null,
    responseStatus: r.responseStatus,
    lastError: r.lastError,
    redeliveryOf: r.redeliveryOf,
    createdAt: r.createdAt,
    lastAttemptAt: r.lastAttemptAt,
    deliveredAt: r.deliveredAt,
  };
}

/** A URL a webhook may have: https in production, no credentials in it, and not inward (destination.ts). */
async function checkUrl(platform: Platform, url: string): Promise<void> {
  const parsed = new URL(url);
  const refuse = (message: string) => new AppError('WEBHOOK_URL_REFUSED', 'Webhook URL refused', [{ path: 'json.url', message }]);
  if (platform.config.NODE_ENV === 'production' && parsed.protocol !== 'https:') throw refuse('must be https');
  // Credentials in a URL end up in logs and delivery records.
  if (parsed.username || parsed.password) throw refuse('must not carry a user name or password');
  const why = await refusal(platform, url);
  if (why) throw refuse(why);
}

export async function loadWebhook(platform: Platform, userId: string, id: string): Promise<WebhookRow> {
  const [row] = await platform.db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, id), eq(webhooks.userId, userId)));
  if (!row) throw notFound('Webhook');
  return row;
}

export async function listWebhooks(platform: Platform, userId: string): Promise<WebhookRow[]> {
  return platform.db.select().from(webhooks).where(eq(webhooks.userId, userId)).orderBy(webhooks.id).limit(MAX_WEBHOOKS_PER_USER);
}

export async function createWebhook(platform: Platform, userId: string, body: z.infer<typeof CreateWebhookBody>) {
  await checkUrl(platform, body.url);
  const secret = newSecret();
  const id = platform.ids.next();
  const now = platform.clock.now().toISOString();
  const sealed = await sealSecret(platform.config, secret);
  const types = body.eventTypes ? JSON.stringify([...new Set(body.eventTypes)]) : null;
  // The cap is checked in the insert itself, so creates racing at the limit cannot pass it. The
  // cursor starts at the user's last event: a new webhook is sent what happens from now on.
  const inserted = await platform.db.all<{ id: string }>(sql`
    insert into ${webhooks} (id, user_id, url, description, event_types, active, secret, cursor, created_at, updated_at)
    select ${id}, ${users.id}, ${body.url}, ${body.description ?? null}, ${types}, ${body.active === false ? 0 : 1}, ${sealed}, ${users.eventSeq}, ${now}, ${now}
    from ${users} where ${users.id} = ${userId}
      and (select count(*) from ${webhooks} where user_id = ${userId}) < ${MAX_WEBHOOKS_PER_USER}
    returning id`);
  if (inserted.length === 0) {
    throw new AppError('WEBHOOK_LIMIT_REACHED', `A user has at most ${MAX_WEBHOOKS_PER_USER} webhooks`);
  }
  return { ...webhookView(platform, await loadWebhook(platform, userId, id)), secret };
}

export async function updateWebhook(platform: Platform, userId: string, id: string, body: z.infer<typeof UpdateWebhookBody>) {
  const current = await loadWebhook(platform, userId, id);
  if (body.url !== undefined) await checkUrl(platform, body.url);
  const reactivated = body.active === true && !current.active;
  const [row] = await platform.db
    .update(webhooks)
    .set({
      ...(body.url !== undefined && { url: body.url }),
      ...(body.description !== undefined && { description: body.description }),
      ...(body.eventTypes !== undefined && { eventTypes: body.eventTypes && [...new Set(body.eventTypes)] }),
      ...(body.active !== undefined && { active: body.active }),
      // Switched back on: sent what happens from now on, not what happened while it was off.
      ...(reactivated && { cursor: sql`(select ${users.eventSeq} from ${users} where ${users.id} = ${userId})` }),
      updatedAt: platform.clock.now().toISOString(),
    })
    .where(and(eq(webhooks.id, id), eq(webhooks.userId, userId)))
    .returning();
  if (!row) throw notFound('Webhook');
  return webhookView(platform, row);
}

export async function deleteWebhook(platform: Platform, userId: string, id: string): Promise<void> {
  // Its deliveries go with it (foreign key, on delete cascade).
  const gone = await platform.db
    .delete(webhooks)
    .where(and(eq(webhooks.id, id), eq(webhooks.userId, userId)))
    .returning({ id: webhooks.id });
  if (gone.length === 0) throw notFound('Webhook');
}

/**
 * A new secret; the one it replaces keeps signing (a second v1=) for ROTATION_OVERLAP_MS. A
 * rotation within the overlap drops the oldest: at most two secrets sign at once.
 */
export async function rotateSecret(platform: Platform, userId: string, id: string) {
  const current = await loadWebhook(platform, userId, id);
  const secret = newSecret();
  const now = platform.clock.now();
  const expires = now.getTime() + ROTATION_OVERLAP_MS;
  const [row] = await platform.db
    .update(webhooks)
    .set({ secret: await sealSecret(platform.config, secret), previousSecret: current.secret, previousExpiresAt: expires, updatedAt: now.toISOString() })
    // The secret read above, still: two rotations at once do not both keep "their" previous.
    .where(and(eq(webhooks.id, id), eq(webhooks.userId, userId), eq(webhooks.secret, current.secret)))
    .returning({ id: webhooks.id });
  if (!row) throw new AppError('WEBHOOK_CHANGED', 'The webhook’s secret changed meanwhile; try again');
  return { secret, previousSecretExpiresAt: new Date(expires).toISOString() };
}

export async function listDeliveries(platform: Platform, userId: string, id: string, limit: number, before?: string) {
  await loadWebhook(platform, userId, id);
  const rows = await platform.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, id), before ? lt(webhookDeliveries.id, before) : undefined))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit + 1);
  return { deliveries: rows.slice(0, limit).map(deliveryView), hasMore: rows.length > limit };
}

export async function loadDelivery(platform: Platform, webhookId: string, deliveryId: string): Promise<DeliveryRow> {
  const [row] = await platform.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhookId)));
  if (!row) throw notFound('Delivery');
  return row;
}
