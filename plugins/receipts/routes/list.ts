import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { linkHeaderDoc } from '../../../core/http/paging.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ListReceiptsQuery, ReceiptList } from '../schemas.ts';
import { listReceipts } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listReceipts',
  tags: ['receipts'],
  summary: 'Your receipts',
  description: 'Newest first, a page at a time; the `Link` header points at the next page.',
  security: scoped('receipts:read'),
  middleware: requireAuth,
  request: { query: ListReceiptsQuery },
  responses: {
    200: { description: 'A page of receipts', headers: linkHeaderDoc, content: { 'application/json': { schema: ReceiptList } } },
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { receipts, link } = await listReceipts(c.get('platform'), c.get('user').id, c.req.valid('query'), c.req.url);
    if (link) c.get('platform').setHeaders(c, [['Link', link]]);
    return c.json(receipts, 200);
  });
