import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DeliveriesPage, DeliveriesQuery, WebhookIdParam } from '../schemas.ts';
import { listDeliveries } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags: ['webhooks'],
  summary: 'The delivery log of a webhook',
  description: 'Newest first; ask again with `before=<last _id>` while `hasMore`.',
  security: scoped('webhooks:read'),
  middleware: requireAuth,
  request: { params: WebhookIdParam, query: DeliveriesQuery },
  responses: {
    200: jsonContent(DeliveriesPage, 'A page of deliveries'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { limit, before } = c.req.valid('query');
    return c.json(await listDeliveries(c.get('platform'), c.get('user').id, c.req.valid('param').id, limit, before), 200);
  });
