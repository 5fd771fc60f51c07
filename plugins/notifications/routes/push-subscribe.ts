import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { PushSubscribed, PushSubscription } from '../schemas.ts';
import { subscribe } from '../subscriptions.ts';

const route = createRoute({
  method: 'post',
  path: '/push/subscribe',
  operationId: 'subscribePush',
  tags: ['notifications'],
  summary: 'Receive Web Push on this browser',
  description:
    'Stores the subscription (PushSubscription.toJSON()) and turns push on; at most 10 per user (the oldest goes). An endpoint already stored, for this or another account, is taken over. 404 `PUSH_NOT_CONFIGURED` without VAPID configuration.',
  security: scoped('notifications:write'),
  middleware: requireAuth,
  request: { body: jsonBody(PushSubscription, 'The browser’s subscription') },
  responses: {
    200: jsonContent(PushSubscribed, 'Subscribed'),
    ...errors(400, 401, 404, 413, 415),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await subscribe(c.get('platform'), c.get('user').id, c.req.valid('json')), 200));
