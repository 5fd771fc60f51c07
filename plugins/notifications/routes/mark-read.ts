import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Notification, NotificationIdParam } from '../schemas.ts';
import { markRead } from '../service.ts';

const route = createRoute({
  method: 'put',
  path: '/{id}/read',
  operationId: 'markNotificationRead',
  tags: ['notifications'],
  summary: 'Mark notification as read',
  description: 'Takes no body; marking a read notification again changes nothing.',
  security: scoped('notifications:write'),
  middleware: requireAuth,
  request: { params: NotificationIdParam },
  responses: {
    200: jsonContent(Notification, 'The notification, now read'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await markRead(c.get('platform'), c.get('user').id, c.req.valid('param').id), 200));
