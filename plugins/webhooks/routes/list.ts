import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { z } from '@hono/zod-openapi';
import { MAX_WEBHOOKS_PER_USER, Webhook } from '../schemas.ts';
import { listWebhooks, webhookView } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listWebhooks',
  tags: ['webhooks'],
  summary: 'Your webhooks',
  description: 'Oldest first; without their secrets.',
  security: scoped('webhooks:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(z.array(Webhook).max(MAX_WEBHOOKS_PER_USER), 'Your webhooks'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const platform = c.get('platform');
    return c.json((await listWebhooks(platform, c.get('user').id)).map((w) => webhookView(platform, w)), 200);
  });
