import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { MarkedAllRead } from '../schemas.ts';
import { markAllRead } from '../service.ts';

const route = createRoute({
  method: 'patch',
  path: '/mark-all-read',
  operationId: 'markAllNotificationsRead',
  tags: ['notifications'],
  summary: 'Mark every notification as read',
  description: 'Takes no body.',
  security: scoped('notifications:write'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(MarkedAllRead, 'How many were unread and are now read'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json({ success: true, marked: await markAllRead(c.get('platform'), c.get('user').id) } as const, 200));
