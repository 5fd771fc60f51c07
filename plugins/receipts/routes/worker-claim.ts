import { createRoute } from '@hono/zod-openapi';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ClaimBody, Claimed } from '../schemas.ts';
import { claimForWorker } from '../service.ts';
import { ocrWorkerSecurity, requireOcrWorker } from './worker-auth.ts';

const route = createRoute({
  method: 'post',
  path: '/internal/claim',
  operationId: 'claimPendingReceipts',
  tags: ['receipts'],
  summary: 'OCR worker: take pending receipts to read',
  description: 'For `npm run ocr-worker` only (a host without OCR, such as Workers, leaves receipts pending): the oldest pending receipts nobody holds, held for this worker for a minute. 404 unless OCR_WORKER_SECRET is configured.',
  security: ocrWorkerSecurity,
  middleware: requireOcrWorker,
  request: { body: jsonBody(ClaimBody, 'How many to take') },
  responses: {
    200: jsonContent(Claimed, 'The receipts taken (none when nothing waits)'),
    ...errors(401, 404, 413, 415),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json({ receipts: await claimForWorker(c.get('platform'), c.req.valid('json').limit) }, 200));
