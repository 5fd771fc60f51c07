import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { UnreadCount } from '../schemas.ts';
import { unreadCount } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/unread-count',
  operationId: 'countUnreadNotifications',
  tags: ['notifications'],
  summary: 'How many notifications are unread',
  security: scoped('notifications:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(UnreadCount, 'The number of unread notifications'),
    ...errors(401),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json({ count: await unreadCount(c.get('platform'), c.get('user').id) }, 200));
