import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { SplitStatistics } from '../schemas.ts';
import { statistics } from '../statistics.ts';

const route = createRoute({
  method: 'get',
  path: '/statistics/user',
  operationId: 'getSplitStatistics',
  tags: ['splits'],
  summary: 'Get user’s split statistics',
  description:
    '`totalOwed` and `totalOwedTo` are in the caller’s display currency (`currency`), each unpaid share converted at the rate of its expense’s day; shares whose day has no rate yet are left out and counted in `unconverted`. `pendingSplits` amounts are in each expense’s own currency.',
  security: scoped('splits:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(SplitStatistics, 'The caller’s split figures'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json({ success: true, data: await statistics(c.get('platform'), c.get('user')) } as const, 200));
