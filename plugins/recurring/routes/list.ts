import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { RecurringList } from '../schemas.ts';
import { listRecurring } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listRecurringExpenses',
  tags: ['recurring'],
  summary: 'List recurring expenses',
  description: 'Newest first; a user has at most 200.',
  security: scoped('expenses:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(RecurringList, 'The user’s schedules'),
    ...errors(401),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await listRecurring(c.get('platform'), c.get('user').id), 200));
