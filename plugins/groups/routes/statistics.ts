import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { statistics } from '../expenses.ts';
import { GroupIdParam, Statistics } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}/statistics',
  operationId: 'getGroupStatistics',
  tags: ['groups'],
  summary: 'Get group statistics',
  description: "The group's expenses in its currency, each converted at the rate of its own day; expenses of a day with no rate held yet are counted in `pendingCount` only.",
  security: scoped('groups:read'),
  middleware: requireAuth,
  request: { params: GroupIdParam },
  responses: {
    200: jsonContent(Statistics, 'The statistics'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json({ success: true, data: await statistics(c.get('platform'), c.get('user'), c.req.valid('param').id) } as const, 200));
