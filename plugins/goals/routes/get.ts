import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { GoalDetail, GoalIdParam } from '../schemas.ts';
import { getGoal } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getGoal',
  tags: ['goals'],
  summary: 'Get one goal with its contributions',
  security: scoped('goals:read'),
  middleware: requireAuth,
  request: { params: GoalIdParam },
  responses: {
    200: jsonContent(GoalDetail, 'The goal, its progress and its latest contributions'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await getGoal(c.get('platform'), c.get('user'), c.req.valid('param').id), 200));
