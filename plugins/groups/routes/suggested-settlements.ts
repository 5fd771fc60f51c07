import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { suggestedSettlements } from '../ledger.ts';
import { GroupIdParam, SuggestedSettlements } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}/settlements/suggested',
  operationId: 'suggestGroupSettlements',
  tags: ['groups'],
  summary: 'A plan of transfers that settles the group',
  description:
    'Transfers in the group currency that bring every balance (GET /balances, pending entries aside) to exactly 0: a debtor and a creditor with equal amounts settle in one transfer, then the largest debtor pays the largest creditor. At most one transfer fewer than the members with a balance.',
  security: scoped('groups:read'),
  middleware: requireAuth,
  request: { params: GroupIdParam },
  responses: {
    200: jsonContent(SuggestedSettlements, 'The plan; empty when the group is settled'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { currency, transfers } = await suggestedSettlements(c.get('platform'), c.get('user'), c.req.valid('param').id);
    return c.json({ success: true, count: transfers.length, currency, data: transfers } as const, 200);
  });
