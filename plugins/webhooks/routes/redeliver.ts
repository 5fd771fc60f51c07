import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DeliveryIdParam, Delivery } from '../schemas.ts';
import { loadDelivery, loadWebhook } from '../service.ts';
import { redeliver } from '../manual.ts';

const route = createRoute({
  method: 'post',
  path: '/{id}/deliveries/{deliveryId}/redeliver',
  operationId: 'redeliverWebhookDelivery',
  tags: ['webhooks'],
  summary: 'Send a delivery again now',
  description:
    'A new delivery of the same body (same event `seq`), newly signed, tried at once; when that try fails it is retried like any other for 24 hours. The original stays as it was in the log.',
  security: scoped('webhooks:write'),
  middleware: requireAuth,
  request: { params: DeliveryIdParam },
  responses: {
    201: jsonContent(Delivery, 'The new delivery, after its first try'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const platform = c.get('platform');
    const { id, deliveryId } = c.req.valid('param');
    const webhook = await loadWebhook(platform, c.get('user').id, id);
    return c.json(await redeliver(platform, await loadDelivery(platform, webhook.id, deliveryId)), 201);
  });
