import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { balances } from '../ledger.ts';
import { Balances, GroupIdParam } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}/balances',
  operationId: 'getGroupBalances',
  tags: ['groups'],
  summary: "Every member's net position in the group",
  description:
    "From the group ledger (debts and payments), in the group's currency: each entry converted at the rate of its own day. Positive is owed money, negative owes. Entries of a day with no rate held yet are listed as pending, not guessed.",
  security: scoped('groups:read'),
  middleware: requireAuth,
  request: { params: GroupIdParam },
  responses: {
    200: jsonContent(Balances, 'The balances'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json({ success: true, data: await balances(c.get('platform'), c.get('user'), c.req.valid('param').id) } as const, 200));
