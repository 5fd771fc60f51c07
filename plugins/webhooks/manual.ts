import type { Platform } from '../../core/platform.ts';
import { deliverNow } from './deliver.ts';
import { deliveryView, type DeliveryRow, type WebhookRow } from './service.ts';
import { webhookDeliveries } from './tables.ts';

/** Stores a delivery due now and tries it at once (as the caller waits); the row as it then stands. */
async function storeAndTry(platform: Platform, values: Omit<typeof webhookDeliveries.$inferInsert, 'id' | 'nextAttemptAt' | 'createdMs' | 'createdAt'>, retry: boolean) {
  const now = platform.clock.now();
  const [row] = await platform.db
    .insert(webhookDeliveries)
    .values({ ...values, id: platform.ids.next(), nextAttemptAt: now.getTime(), createdMs: now.getTime(), createdAt: now.toISOString() })
    .returning();
  // Undefined only when the minute's job claimed it first: it is being tried there.
  return deliveryView((await deliverNow(platform, row!.id, { retry })) ?? row!);
}

/** A test event, tried once (a failed ping is not retried: the caller sees the outcome now). */
export function ping(platform: Platform, webhook: WebhookRow) {
  const body = JSON.stringify({ type: 'ping', webhookId: webhook.id, createdAt: platform.clock.now().toISOString() });
  return storeAndTry(platform, { webhookId: webhook.id, eventSeq: null, eventType: 'ping', body }, false);
}

/** The same body again as a new delivery, retried like any other when this try fails. */
export function redeliver(platform: Platform, original: DeliveryRow) {
  const { webhookId, eventSeq, eventType, body } = original;
  return storeAndTry(platform, { webhookId, eventSeq, eventType, body, redeliveryOf: original.redeliveryOf ?? original.id }, original.eventType !== 'ping');
}
