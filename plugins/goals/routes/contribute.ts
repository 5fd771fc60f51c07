import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ContributeBody, Goal, GoalIdParam } from '../schemas.ts';
import { contribute } from '../service.ts';

const route = createRoute({
  method: 'patch',
  path: '/{id}/contribute',
  operationId: 'contributeToGoal',
  tags: ['goals'],
  summary: 'Add to (or withdraw from) a goal',
  description:
    'Adds `amount` to the saved amount; a negative amount withdraws. A withdrawal that would take the saved amount below 0 is 400 and changes nothing. Reaching the target completes an active goal.',
  security: scoped('goals:write'),
  middleware: requireAuth,
  request: { params: GoalIdParam, body: jsonBody(ContributeBody, 'The amount, in the goal’s currency, and an optional note') },
  responses: {
    200: jsonContent(Goal, 'The goal with its new saved amount'),
    ...errors(401, 404, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await contribute(c.get('platform'), c.get('user'), c.req.valid('param').id, c.req.valid('json')), 200));
