import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { listCategories } from '../categories.ts';
import { CategoryList } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/categories',
  operationId: 'listExpenseCategories',
  tags: ['expenses'],
  summary: "The built-in categories and the user's own",
  security: scoped('expenses:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(CategoryList, 'Built-in first, then custom ones by name'),
    ...errors(401),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await listCategories(c.get('platform'), c.get('user').id), 200));
