import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { linkHeaderDoc } from '../../../core/http/paging.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { GroupList, ListGroupsQuery } from '../schemas.ts';
import { listGroups } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listGroups',
  tags: ['groups'],
  summary: "Get user's groups",
  description: 'The groups the user is an active member of, newest first; a page at a time, the `Link` header points at the next page.',
  security: scoped('groups:read'),
  middleware: requireAuth,
  request: { query: ListGroupsQuery },
  responses: {
    200: { description: 'A page of groups', headers: linkHeaderDoc, content: { 'application/json': { schema: GroupList } } },
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { groups, link } = await listGroups(c.get('platform'), c.get('user'), c.req.valid('query'), c.req.url);
    if (link) c.get('platform').setHeaders(c, [['Link', link]]);
    return c.json({ success: true, count: groups.length, data: groups } as const, 200);
  });
