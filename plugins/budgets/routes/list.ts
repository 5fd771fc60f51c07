import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { BudgetList } from '../schemas.ts';
import { listBudgets } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listBudgets',
  tags: ['budgets'],
  summary: 'Get all budgets',
  description: 'Newest first, each with what was spent in its current period. A user has at most 100 budgets, so the list is never paged.',
  security: scoped('budgets:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(BudgetList, "The user's budgets"),
    ...errors(401),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await listBudgets(c.get('platform'), c.get('user')), 200));
