import { createRoute, z } from '@hono/zod-openapi';
import { errors } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ACCEPTED } from '../detect.ts';
import { ReceiptIdParam } from '../schemas.ts';
import { pendingFile } from '../service.ts';
import { ocrWorkerSecurity, requireOcrWorker } from './worker-auth.ts';

const Bytes = z.string().max(100 * 1024 * 1024).openapi({ format: 'binary' });

const route = createRoute({
  method: 'get',
  path: '/internal/{id}/file',
  operationId: 'getPendingReceiptFile',
  tags: ['receipts'],
  summary: 'OCR worker: the file of a pending receipt',
  security: ocrWorkerSecurity,
  middleware: requireOcrWorker,
  request: { params: ReceiptIdParam },
  responses: {
    200: { description: 'The file', content: Object.fromEntries(Object.keys(ACCEPTED).map((type) => [type, { schema: Bytes }])) },
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { bytes, contentType } = await pendingFile(c.get('platform'), c.req.valid('param').id);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
  });
