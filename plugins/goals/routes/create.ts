import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { CreateGoalBody, Goal } from '../schemas.ts';
import { createGoal } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createGoal',
  tags: ['goals'],
  summary: 'Create a new financial goal',
  description: 'A goal created at or above its target starts completed; levels it starts at are not announced.',
  security: scoped('goals:write'),
  middleware: requireAuth,
  request: { body: jsonBody(CreateGoalBody, 'The goal; unknown fields are ignored') },
  responses: {
    201: jsonContent(Goal, 'The stored goal with its progress'),
    ...errors(401, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await createGoal(c.get('platform'), c.get('user'), c.req.valid('json')), 201));
