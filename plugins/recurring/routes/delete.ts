import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Deleted } from '../../../core/schemas.ts';
import { RecurringIdParam } from '../schemas.ts';
import { deleteRecurring } from '../service.ts';

const route = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteRecurringExpense',
  tags: ['recurring'],
  summary: 'Delete a recurring expense',
  description: 'The expenses it already created stay.',
  security: scoped('expenses:write'),
  middleware: requireAuth,
  request: { params: RecurringIdParam },
  responses: {
    200: jsonContent(Deleted, 'The schedule is deleted'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await deleteRecurring(c.get('platform'), c.get('user').id, c.req.valid('param').id);
    return c.json({ success: true, message: 'Recurring expense deleted' } as const, 200);
  });
