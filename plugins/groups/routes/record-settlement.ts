import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { recordSettlement } from '../ledger.ts';
import { GroupIdParam, SettlementBody, SettlementCreated } from '../schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/{id}/settlements',
  operationId: 'recordGroupSettlement',
  tags: ['groups'],
  summary: 'Record a payment between two members',
  description:
    'A payment from `fromUserId` to `toUserId` (both active members, not the same), dated now, counted in the balances at once. The payer, the payee or an admin may record it (anyone else gets 403). It settles balances, not a split: a split share is paid with `PATCH /api/splits/{id}/pay`, which records its own payment here (recording it here as well would count it twice).',
  security: scoped('groups:write'),
  middleware: requireAuth,
  request: { params: GroupIdParam, body: jsonBody(SettlementBody, 'Who paid whom how much') },
  responses: {
    201: jsonContent(SettlementCreated, 'The recorded settlement'),
    ...errors(401, 403, 404, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) =>
    c.json({ success: true, message: 'Settlement recorded', data: await recordSettlement(c.get('platform'), c.get('user'), c.req.valid('param').id, c.req.valid('json')) } as const, 201),
  );
