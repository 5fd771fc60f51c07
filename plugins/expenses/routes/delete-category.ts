import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { Deleted, DeviceIdParameter } from '../../../core/schemas.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { deleteCategory } from '../categories.ts';
import { CategoryNameParam } from '../schemas.ts';

const route = createRoute({
  method: 'delete',
  path: '/categories/{name}',
  operationId: 'deleteExpenseCategory',
  tags: ['expenses'],
  summary: 'Remove a custom category',
  description: 'Built-in categories cannot be removed (404); a category still used by an expense is 409.',
  security: scoped('expenses:write'),
  middleware: [requireAuth, rateLimit('expenseWrites')] as const,
  parameters: [DeviceIdParameter],
  request: { params: CategoryNameParam },
  responses: {
    200: jsonContent(Deleted, 'The category is removed'),
    ...errors(401, 404, 409),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await deleteCategory(c.get('platform'), c.get('user').id, c.req.valid('param').name.trim().toLowerCase(), c.get('deviceId'));
    return c.json({ success: true, message: 'Category deleted' } as const, 200);
  });
