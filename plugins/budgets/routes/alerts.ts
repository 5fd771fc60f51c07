import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { BudgetList } from '../schemas.ts';
import { listBudgets } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/alerts',
  operationId: 'listBudgetAlerts',
  tags: ['budgets'],
  summary: 'Budgets at warning or exceeded now',
  security: scoped('budgets:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(BudgetList, 'The budgets whose current period has reached their threshold or 100%, newest first'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json((await listBudgets(c.get('platform'), c.get('user'))).filter((b) => b.status !== 'on_track'), 200));
