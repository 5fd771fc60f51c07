import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { linkHeaderDoc } from '../../../core/http/paging.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { listSettlements } from '../ledger.ts';
import { GroupIdParam, ListSettlementsQuery, SettlementList } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}/settlements',
  operationId: 'listGroupSettlements',
  tags: ['groups'],
  summary: 'Payments between members',
  description: "Every payment in the group's ledger, newest first: settlements recorded here and shares paid through splits. A page at a time, the `Link` header points at the next page.",
  security: scoped('groups:read'),
  middleware: requireAuth,
  request: { params: GroupIdParam, query: ListSettlementsQuery },
  responses: {
    200: { description: 'A page of payments', headers: linkHeaderDoc, content: { 'application/json': { schema: SettlementList } } },
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { settlements, link } = await listSettlements(c.get('platform'), c.get('user'), c.req.valid('param').id, c.req.valid('query'), c.req.url);
    if (link) c.get('platform').setHeaders(c, [['Link', link]]);
    return c.json({ success: true, count: settlements.length, data: settlements } as const, 200);
  });
