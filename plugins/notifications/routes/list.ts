import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { linkHeaderDoc } from '../../../core/http/paging.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ListNotificationsQuery, NotificationList } from '../schemas.ts';
import { listNotifications } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listNotifications',
  tags: ['notifications'],
  summary: 'Get user notifications',
  description: 'Newest first, a page at a time (`limit`, default 50); the `Link` header points at the next page.',
  security: scoped('notifications:read'),
  middleware: requireAuth,
  request: { query: ListNotificationsQuery },
  responses: {
    200: {
      description: 'A page of notifications',
      headers: linkHeaderDoc,
      content: { 'application/json': { schema: NotificationList } },
    },
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { notifications, link } = await listNotifications(c.get('platform'), c.get('user').id, c.req.valid('query'), c.req.url);
    if (link) c.get('platform').setHeaders(c, [['Link', link]]);
    return c.json(notifications, 200);
  });
