import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Receipt, ReceiptIdParam } from '../schemas.ts';
import { getReceipt } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getReceipt',
  tags: ['receipts'],
  summary: 'One receipt and its reading',
  security: scoped('receipts:read'),
  middleware: requireAuth,
  request: { params: ReceiptIdParam },
  responses: {
    200: jsonContent(Receipt, 'The receipt'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await getReceipt(c.get('platform'), c.get('user').id, c.req.valid('param').id), 200));
