import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Goal, GoalIdParam, UpdateGoalBody } from '../schemas.ts';
import { updateGoal } from '../service.ts';

const route = createRoute({
  method: 'put',
  path: '/{id}',
  operationId: 'updateGoal',
  tags: ['goals'],
  summary: 'Update a goal',
  description: 'Any subset of the fields. Reaching the target by a new currentAmount or targetAmount completes the goal.',
  security: scoped('goals:write'),
  middleware: requireAuth,
  request: { params: GoalIdParam, body: jsonBody(UpdateGoalBody, 'The fields to change') },
  responses: {
    200: jsonContent(Goal, 'The updated goal'),
    ...errors(401, 404, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await updateGoal(c.get('platform'), c.get('user'), c.req.valid('param').id, c.req.valid('json')), 200));
