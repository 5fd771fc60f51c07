import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { CreateRecurringBody, RecurringExpense } from '../schemas.ts';
import { createRecurring } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createRecurringExpense',
  tags: ['recurring'],
  summary: 'Create a recurring expense',
  description: 'The hourly job creates each occurrence as an expense once its day has begun in the user’s time zone, also the ones of a start in the past.',
  security: scoped('expenses:write'),
  middleware: requireAuth,
  request: { body: jsonBody(CreateRecurringBody, 'The schedule; unknown fields are ignored') },
  responses: {
    201: jsonContent(RecurringExpense, 'The stored schedule with its next date'),
    ...errors(401, 413, 415),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await createRecurring(c.get('platform'), c.get('user'), c.req.valid('json')), 201));
