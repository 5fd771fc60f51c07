import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Expense, ExpenseIdParam } from '../schemas.ts';
import { getExpense } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getExpense',
  tags: ['expenses'],
  summary: 'Get one expense',
  security: scoped('expenses:read'),
  middleware: requireAuth,
  request: { params: ExpenseIdParam },
  responses: {
    200: jsonContent(Expense, 'The expense'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await getExpense(c.get('platform'), c.get('user'), c.req.valid('param').id), 200));
