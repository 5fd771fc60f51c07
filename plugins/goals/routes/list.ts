import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { linkHeaderDoc } from '../../../core/http/paging.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { GoalList, ListGoalsQuery } from '../schemas.ts';
import { listGoals } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listGoals',
  tags: ['goals'],
  summary: 'Get all financial goals for authenticated user',
  description: 'Newest first, each with its progress; a page at a time, the `Link` header points at the next page.',
  security: scoped('goals:read'),
  middleware: requireAuth,
  request: { query: ListGoalsQuery },
  responses: {
    200: {
      description: 'A page of goals',
      headers: linkHeaderDoc,
      content: { 'application/json': { schema: GoalList } },
    },
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { goals, link } = await listGoals(c.get('platform'), c.get('user'), c.req.valid('query'), c.req.url);
    if (link) c.get('platform').setHeaders(c, [['Link', link]]);
    return c.json(goals, 200);
  });
