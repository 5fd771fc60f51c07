import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Deleted } from '../../../core/schemas.ts';
import { ReceiptIdParam } from '../schemas.ts';
import { deleteReceipt } from '../service.ts';

const route = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteReceipt',
  tags: ['receipts'],
  summary: 'Delete a receipt and its file',
  description: 'An expense made from it stays.',
  security: scoped('receipts:write'),
  middleware: requireAuth,
  request: { params: ReceiptIdParam },
  responses: {
    200: jsonContent(Deleted, 'The receipt and its file are deleted'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await deleteReceipt(c.get('platform'), c.get('user').id, c.req.valid('param').id);
    return c.json({ success: true, message: 'Receipt deleted' } as const, 200);
  });
