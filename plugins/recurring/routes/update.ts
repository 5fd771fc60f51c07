import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { RecurringExpense, RecurringIdParam, UpdateRecurringBody } from '../schemas.ts';
import { updateRecurring } from '../service.ts';

const route = createRoute({
  method: 'put',
  path: '/{id}',
  operationId: 'updateRecurringExpense',
  tags: ['recurring'],
  summary: 'Change a recurring expense (pause it with `paused: true`)',
  security: scoped('expenses:write'),
  middleware: requireAuth,
  request: { params: RecurringIdParam, body: jsonBody(UpdateRecurringBody, 'The fields to change') },
  responses: {
    200: jsonContent(RecurringExpense, 'The schedule after the change'),
    ...errors(401, 404, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await updateRecurring(c.get('platform'), c.get('user'), c.req.valid('param').id, c.req.valid('json')), 200));
