import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DeviceIdParameter } from '../../../core/schemas.ts';
import { createCategory } from '../categories.ts';
import { Category, CreateCategoryBody } from '../schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/categories',
  operationId: 'createExpenseCategory',
  tags: ['expenses'],
  summary: 'Add a custom category',
  description: 'Names are trimmed and lower-cased; a name that exists (built-in or yours) is 409, and so is a 101st category of your own.',
  security: scoped('expenses:write'),
  middleware: [requireAuth, rateLimit('expenseWrites')] as const,
  parameters: [DeviceIdParameter],
  request: { body: jsonBody(CreateCategoryBody, 'The name') },
  responses: {
    201: jsonContent(Category, 'The new category'),
    ...errors(401, 409, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await createCategory(c.get('platform'), c.get('user').id, c.req.valid('json').name, c.get('deviceId')), 201));
