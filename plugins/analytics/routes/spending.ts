import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { SpendingPeriodParam, SpendingQuery, SpendingReport } from '../schemas.ts';
import { spendingReport } from '../spending-report.ts';

const route = createRoute({
  method: 'get',
  path: '/spending/{period}',
  operationId: 'getSpending',
  tags: ['analytics'],
  summary: 'Get spending analytics for a specific period',
  description:
    "The week (Monday first), month or year containing `date` or today, in the user's time zone: totals per day or month, per category, top merchants, the average per day and the change against the period before.",
  security: scoped('analytics:read'),
  middleware: requireAuth,
  request: { params: SpendingPeriodParam, query: SpendingQuery },
  responses: {
    200: jsonContent(SpendingReport, 'The spending report'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { period } = c.req.valid('param');
    return c.json(await spendingReport(c.get('platform'), c.get('user'), period, c.req.valid('query').date), 200);
  });
