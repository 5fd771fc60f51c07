import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { dashboard } from '../dashboard.ts';
import { Dashboard } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/dashboard',
  operationId: 'getDashboard',
  tags: ['analytics'],
  summary: 'Get dashboard analytics data',
  description:
    "Balance, this month's income, expenses, savings rate and category breakdown, and the last 12 months, in the user's display currency and time zone.",
  security: scoped('analytics:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(Dashboard, 'The dashboard'),
    ...errors(401),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await dashboard(c.get('platform'), c.get('user')), 200));
