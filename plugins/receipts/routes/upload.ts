import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { AppError } from '../../../core/http/errors.ts';
import { ErrorResponse, errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import { readUpload } from '../../../core/http/upload.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Receipt, UploadForm } from '../schemas.ts';
import { uploadReceipt } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'uploadReceipt',
  tags: ['receipts'],
  summary: 'Upload a receipt image for OCR processing',
  description:
    'Multipart: the `receipt` file (PNG, JPEG, WebP or PDF, told by its bytes) and optionally `expenseId`, one of your expenses. Answers once the reading is done or after RECEIPT_OCR_WAIT_MS (3 s by default), whichever comes first: `ocrData.status` is then `done`, `failed` or still `pending`. A later result comes as a `receipt_processed` realtime event and in later reads.',
  security: scoped('receipts:write'),
  middleware: [requireAuth, rateLimit('uploads'), readUpload((c) => c.get('platform').config.RECEIPT_MAX_BYTES)] as const,
  request: {
    body: { required: true, description: 'The receipt file and the expense it belongs to', content: { 'multipart/form-data': { schema: UploadForm } } },
  },
  responses: {
    201: jsonContent(Receipt, 'The stored receipt and its reading (or `pending`)'),
    ...errors(401, 404),
    413: jsonContent(ErrorResponse, 'The upload is larger than RECEIPT_MAX_BYTES (10 MB by default): refused as it streams in'),
    415: jsonContent(ErrorResponse, 'Not multipart/form-data, or the file is not a PNG, JPEG, WebP or PDF by its content'),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { receipt, expenseId } = c.req.valid('form');
    if (!(receipt instanceof File)) throw new AppError('VALIDATION_FAILED', 'Invalid request', [{ path: 'form.receipt', message: 'must be one file' }]);
    return c.json(await uploadReceipt(c.get('platform'), c.get('user'), receipt, expenseId), 201);
  });
