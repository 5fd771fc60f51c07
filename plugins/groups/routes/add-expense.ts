import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { addGroupExpense } from '../expenses.ts';
import { AddGroupExpenseBody, GroupExpenseAdded, GroupIdParam } from '../schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/{id}/expenses',
  operationId: 'addGroupExpense',
  tags: ['groups'],
  summary: 'Add an expense the caller paid for the group',
  description:
    "Any active member. The expense is an ordinary expense of the caller (it shows in their GET /api/expenses), linked to the group in the same write. Who owes what comes with POST /api/splits.",
  security: scoped('groups:write'),
  middleware: [requireAuth, rateLimit('expenseWrites')] as const,
  request: { params: GroupIdParam, body: jsonBody(AddGroupExpenseBody, 'The expense, as for POST /api/expenses') },
  responses: {
    201: jsonContent(GroupExpenseAdded, 'The expense, linked to the group'),
    ...errors(401, 404, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) =>
    c.json({ success: true, message: 'Expense added to the group', data: await addGroupExpense(c.get('platform'), c.get('user'), c.req.valid('param').id, c.req.valid('json')) } as const, 201),
  );
