import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { UpdateWebhookBody, Webhook, WebhookIdParam } from '../schemas.ts';
import { updateWebhook } from '../service.ts';

const route = createRoute({
  method: 'patch',
  path: '/{id}',
  operationId: 'updateWebhook',
  tags: ['webhooks'],
  summary: 'Change a webhook',
  description: 'Any subset of the fields. A webhook switched back on (`active: true`) is sent what happens from then on, not what happened while it was off.',
  security: scoped('webhooks:write'),
  middleware: requireAuth,
  request: { params: WebhookIdParam, body: jsonBody(UpdateWebhookBody, 'The fields to change') },
  responses: {
    200: jsonContent(Webhook, 'The webhook as changed'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await updateWebhook(c.get('platform'), c.get('user').id, c.req.valid('param').id, c.req.valid('json')), 200));
