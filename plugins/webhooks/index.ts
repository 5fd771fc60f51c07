import { sql } from 'drizzle-orm';
import { definePlugin } from '../../core/plugin.ts';
import { deliverWebhooks } from './deliver.ts';
import create from './routes/create.ts';
import remove from './routes/delete.ts';
import get from './routes/get.ts';
import listDeliveries from './routes/list-deliveries.ts';
import list from './routes/list.ts';
import ping from './routes/ping.ts';
import redeliver from './routes/redeliver.ts';
import rotateSecret from './routes/rotate-secret.ts';
import update from './routes/update.ts';
import { webhookDeliveries, webhooks } from './tables.ts';

// Reads the events feed through the core port (platform.feed); depends on no domain plugin.
export default definePlugin({
  name: 'webhooks',
  description: 'Your events POSTed to your URLs, signed (HMAC-SHA256), retried for 24 hours, logged and redeliverable',
  dependencies: ['auth'],
  tables: { webhooks, webhookDeliveries },
  jobs: [deliverWebhooks],
  retention: [
    // The delivery log, like the outboxes: finished deliveries are history; what waits is never deleted.
    { name: 'webhooks.deliveries', table: webhookDeliveries, timeColumn: webhookDeliveries.createdAt, days: (c) => c.RETENTION_OUTBOX_DAYS, where: sql`${webhookDeliveries.status} in ('succeeded', 'failed')` },
  ],
  routes: (app) => {
    list(app);
    create(app);
    get(app);
    update(app);
    remove(app);
    rotateSecret(app);
    ping(app);
    listDeliveries(app);
    redeliver(app);
  },
});
