import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Budget, BudgetIdParam } from '../schemas.ts';
import { getBudget } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getBudget',
  tags: ['budgets'],
  summary: 'Get one budget',
  security: scoped('budgets:read'),
  middleware: requireAuth,
  request: { params: BudgetIdParam },
  responses: {
    200: jsonContent(Budget, 'The budget with its current period'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await getBudget(c.get('platform'), c.get('user'), c.req.valid('param').id), 200));
