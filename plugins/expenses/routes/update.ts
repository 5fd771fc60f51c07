import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DeviceIdParameter } from '../../../core/schemas.ts';
import { Expense, ExpenseIdParam, UpdateExpenseBody } from '../schemas.ts';
import { updateExpense } from '../service.ts';

const route = createRoute({
  method: 'put',
  path: '/{id}',
  operationId: 'updateExpense',
  tags: ['expenses'],
  summary: 'Update an existing expense',
  description: 'Any subset of the create fields; `null` clears notes, merchant or paymentMethod.',
  security: scoped('expenses:write'),
  middleware: [requireAuth, rateLimit('expenseWrites')] as const,
  parameters: [DeviceIdParameter],
  request: { params: ExpenseIdParam, body: jsonBody(UpdateExpenseBody, 'The fields to change') },
  responses: {
    200: jsonContent(Expense, 'The updated expense'),
    ...errors(401, 404, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) =>
    c.json(await updateExpense(c.get('platform'), { ...c.get('user'), deviceId: c.get('deviceId') }, c.req.valid('param').id, c.req.valid('json')), 200),
  );
