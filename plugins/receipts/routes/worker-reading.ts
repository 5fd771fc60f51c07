import { createRoute } from '@hono/zod-openapi';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { PostedReading, Receipt, ReceiptIdParam } from '../schemas.ts';
import { postedReading } from '../service.ts';
import { ocrWorkerSecurity, requireOcrWorker } from './worker-auth.ts';

const route = createRoute({
  method: 'post',
  path: '/internal/{id}/reading',
  operationId: 'postReceiptReading',
  tags: ['receipts'],
  summary: 'OCR worker: the reading of a pending receipt',
  description: 'The text read (the server extracts total, date, merchant, currency and items from it) or why it could not be read. The receipt is then `done` or `failed`, and its owner’s devices get a `receipt_processed` event. 404 when it is no longer pending.',
  security: ocrWorkerSecurity,
  middleware: requireOcrWorker,
  request: { params: ReceiptIdParam, body: jsonBody(PostedReading, 'The reading') },
  responses: {
    200: jsonContent(Receipt, 'The receipt as its owner now sees it'),
    ...errors(401, 404, 413, 415),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await postedReading(c.get('platform'), c.req.valid('param').id, c.req.valid('json')), 200));
