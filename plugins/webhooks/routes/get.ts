import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Webhook, WebhookIdParam } from '../schemas.ts';
import { loadWebhook, webhookView } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getWebhook',
  tags: ['webhooks'],
  summary: 'One webhook',
  security: scoped('webhooks:read'),
  middleware: requireAuth,
  request: { params: WebhookIdParam },
  responses: {
    200: jsonContent(Webhook, 'The webhook'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const platform = c.get('platform');
    return c.json(webhookView(platform, await loadWebhook(platform, c.get('user').id, c.req.valid('param').id)), 200);
  });
