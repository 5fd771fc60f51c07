import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Deleted } from '../../../core/schemas.ts';
import { WebhookIdParam } from '../schemas.ts';
import { deleteWebhook } from '../service.ts';

const route = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteWebhook',
  tags: ['webhooks'],
  summary: 'Delete a webhook',
  description: 'With its delivery log; nothing more is sent to it.',
  security: scoped('webhooks:write'),
  middleware: requireAuth,
  request: { params: WebhookIdParam },
  responses: {
    200: jsonContent(Deleted, 'The webhook is deleted'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await deleteWebhook(c.get('platform'), c.get('user').id, c.req.valid('param').id);
    return c.json({ success: true, message: 'Webhook deleted' } as const, 200);
  });
