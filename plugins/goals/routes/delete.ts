import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Deleted } from '../../../core/schemas.ts';
import { GoalIdParam } from '../schemas.ts';
import { deleteGoal } from '../service.ts';

const route = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteGoal',
  tags: ['goals'],
  summary: 'Delete a goal',
  description: 'Its contributions go with it.',
  security: scoped('goals:write'),
  middleware: requireAuth,
  request: { params: GoalIdParam },
  responses: {
    200: jsonContent(Deleted, 'The goal is deleted'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await deleteGoal(c.get('platform'), c.get('user'), c.req.valid('param').id);
    return c.json({ success: true, message: 'Goal deleted' } as const, 200);
  });
