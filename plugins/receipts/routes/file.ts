import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ACCEPTED } from '../detect.ts';
import { ReceiptIdParam } from '../schemas.ts';
import { receiptFile } from '../service.ts';

const Bytes = z.string().max(100 * 1024 * 1024).openapi({ format: 'binary' });

const route = createRoute({
  method: 'get',
  path: '/{id}/file',
  operationId: 'getReceiptFile',
  tags: ['receipts'],
  summary: 'The stored receipt file',
  description: 'The bytes as uploaded, with the type detected from them. Only the owner gets them (anyone else 404).',
  security: scoped('receipts:read'),
  middleware: requireAuth,
  request: { params: ReceiptIdParam },
  responses: {
    200: {
      description: 'The file',
      content: Object.fromEntries(Object.keys(ACCEPTED).map((type) => [type, { schema: Bytes }])),
    },
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { id } = c.req.valid('param');
    const { bytes, contentType } = await receiptFile(c.get('platform'), c.get('user').id, id);
    // The stored name is the client's text: the header carries a name made from the id instead.
    const { extension, fileType } = ACCEPTED[contentType as keyof typeof ACCEPTED];
    const name = `receipt-${id}.${extension}`;
    // A PDF is downloaded, not shown on the API's origin (a PDF can carry scripts for its viewer).
    const disposition = fileType === 'pdf' ? 'attachment' : 'inline';
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': contentType,
      'content-length': String(bytes.byteLength),
      'content-disposition': `${disposition}; filename="${name}"`,
      'cache-control': 'private, no-store',
    });
  });
