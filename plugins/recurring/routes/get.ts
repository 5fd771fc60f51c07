import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { RecurringExpense, RecurringIdParam } from '../schemas.ts';
import { getRecurring, view } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getRecurringExpense',
  tags: ['recurring'],
  summary: 'Get a recurring expense',
  security: scoped('expenses:read'),
  middleware: requireAuth,
  request: { params: RecurringIdParam },
  responses: {
    200: jsonContent(RecurringExpense, 'The schedule'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(view(await getRecurring(c.get('platform'), c.get('user').id, c.req.valid('param').id)), 200));
