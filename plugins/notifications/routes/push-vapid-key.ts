import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { requirePush } from '../push.ts';
import { VapidKey } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/push/vapid-key',
  operationId: 'getPushVapidKey',
  tags: ['notifications'],
  summary: 'The server key browsers subscribe to Web Push with',
  description: 'Without VAPID configuration the server sends no push: 404 `PUSH_NOT_CONFIGURED`.',
  security: scoped('notifications:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(VapidKey, 'The VAPID public key'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) => app.openapi(route, (c) => c.json({ publicKey: requirePush(c.get('platform')).publicKey }, 200));
