import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DeviceIdParameter } from '../../../core/schemas.ts';
import { CreateExpenseBody, Expense } from '../schemas.ts';
import { createExpense } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createExpense',
  tags: ['expenses'],
  summary: 'Create a new expense',
  security: scoped('expenses:write'),
  middleware: [requireAuth, rateLimit('expenseWrites')] as const,
  parameters: [DeviceIdParameter],
  request: { body: jsonBody(CreateExpenseBody, 'The expense; unknown fields are ignored') },
  responses: {
    201: jsonContent(Expense, 'The stored expense with its id and timestamps'),
    ...errors(401, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await createExpense(c.get('platform'), { ...c.get('user'), deviceId: c.get('deviceId') }, c.req.valid('json')), 201));
