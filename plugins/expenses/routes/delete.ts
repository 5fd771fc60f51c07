import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { Deleted, DeviceIdParameter } from '../../../core/schemas.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ExpenseIdParam } from '../schemas.ts';
import { deleteExpense } from '../service.ts';

const route = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteExpense',
  tags: ['expenses'],
  summary: 'Delete an expense',
  security: scoped('expenses:write'),
  middleware: [requireAuth, rateLimit('expenseWrites')] as const,
  parameters: [DeviceIdParameter],
  request: { params: ExpenseIdParam },
  responses: {
    200: jsonContent(Deleted, 'The expense is deleted'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await deleteExpense(c.get('platform'), { ...c.get('user'), deviceId: c.get('deviceId') }, c.req.valid('param').id);
    return c.json({ success: true, message: 'Expense deleted' } as const, 200);
  });
