import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { BudgetSummary } from '../schemas.ts';
import { budgetSummary } from '../summary.ts';

const route = createRoute({
  method: 'get',
  path: '/summary',
  operationId: 'getBudgetSummary',
  tags: ['budgets'],
  summary: 'Totals across all budgets',
  description:
    "Total budgeted, spent and remaining in the user's display currency (each budget converted at the newest rate on or before today), budgets by status and pending expenses.",
  security: scoped('budgets:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(BudgetSummary, 'The totals'),
    ...errors(401),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await budgetSummary(c.get('platform'), c.get('user')), 200));
