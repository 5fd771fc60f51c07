import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Delivery, WebhookIdParam } from '../schemas.ts';
import { loadWebhook } from '../service.ts';
import { ping } from '../manual.ts';

const route = createRoute({
  method: 'post',
  path: '/{id}/ping',
  operationId: 'pingWebhook',
  tags: ['webhooks'],
  summary: 'Send a test event now',
  description:
    'POSTs `{"type":"ping",…}`, signed like any delivery, and answers how it went (`succeeded`, or `failed` with the status or error). Tried once; logged with the deliveries.',
  security: scoped('webhooks:write'),
  middleware: requireAuth,
  request: { params: WebhookIdParam },
  responses: {
    201: jsonContent(Delivery, 'The ping delivery, after its try'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const platform = c.get('platform');
    const webhook = await loadWebhook(platform, c.get('user').id, c.req.valid('param').id);
    return c.json(await ping(platform, webhook), 201);
  });
