import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DeviceIdParameter } from '../../../core/schemas.ts';
import { CreatedFromReceipt, CreateExpenseFromReceipt, ReceiptIdParam } from '../schemas.ts';
import { expenseFromReceipt } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/{id}/expense',
  operationId: 'createExpenseFromReceipt',
  tags: ['receipts'],
  summary: 'Create an expense from a receipt’s reading',
  description:
    'The expense is made from what was read, with your corrections in the body taking precedence; the receipt is linked to it in the same write. 400 `AMOUNT_REQUIRED` when no total was read and none is given; 409 `RECEIPT_LINKED` when the receipt already belongs to an expense.',
  security: scoped('receipts:write'),
  middleware: requireAuth,
  parameters: [DeviceIdParameter],
  request: { params: ReceiptIdParam, body: jsonBody(CreateExpenseFromReceipt, 'Corrections to the reading; `{}` takes it as read') },
  responses: {
    201: jsonContent(CreatedFromReceipt, 'The new expense and the receipt, now linked to it'),
    ...errors(401, 404, 409, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await expenseFromReceipt(c.get('platform'), c.get('user'), c.req.valid('param').id, c.req.valid('json')), 201));
