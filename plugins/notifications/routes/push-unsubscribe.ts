import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { PushUnsubscribeBody, PushUnsubscribed } from '../schemas.ts';
import { unsubscribe } from '../subscriptions.ts';

const route = createRoute({
  method: 'post',
  path: '/push/unsubscribe',
  operationId: 'unsubscribePush',
  tags: ['notifications'],
  summary: 'Stop Web Push to one browser',
  description: 'Forgets the caller’s subscription with this endpoint and what was queued for it. Push stays on for the user’s other browsers.',
  security: scoped('notifications:write'),
  middleware: requireAuth,
  request: { body: jsonBody(PushUnsubscribeBody, 'Which subscription') },
  responses: {
    200: jsonContent(PushUnsubscribed, 'Done (also when there was none)'),
    ...errors(400, 401, 413, 415),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await unsubscribe(c.get('platform'), c.get('user').id, c.req.valid('json').endpoint), 200));
