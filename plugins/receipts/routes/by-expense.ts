import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ExpenseIdParam, ExpenseReceipts, MAX_PER_EXPENSE } from '../schemas.ts';
import { receiptsOfExpense } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/expense/{expenseId}',
  operationId: 'listExpenseReceipts',
  tags: ['receipts'],
  summary: 'The receipts of one of your expenses',
  description: `Newest first, at most ${MAX_PER_EXPENSE}. An expense that is not yours is 404.`,
  security: scoped('receipts:read'),
  middleware: requireAuth,
  request: { params: ExpenseIdParam },
  responses: {
    200: jsonContent(ExpenseReceipts, 'The receipts attached to the expense'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await receiptsOfExpense(c.get('platform'), c.get('user').id, c.req.valid('param').expenseId), 200));
