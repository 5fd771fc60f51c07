import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Deleted } from '../../../core/schemas.ts';
import { NotificationIdParam } from '../schemas.ts';
import { deleteNotification } from '../service.ts';

const route = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteNotification',
  tags: ['notifications'],
  summary: 'Delete a notification',
  description: 'An email already queued for it is still sent.',
  security: scoped('notifications:write'),
  middleware: requireAuth,
  request: { params: NotificationIdParam },
  responses: {
    200: jsonContent(Deleted, 'The notification is deleted'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await deleteNotification(c.get('platform'), c.get('user').id, c.req.valid('param').id);
    return c.json({ success: true, message: 'Notification deleted' } as const, 200);
  });
