import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { linkHeaderDoc } from '../../../core/http/paging.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { listPending } from '../list.ts';
import { ListSplitsQuery, SplitList } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listPendingSplits',
  tags: ['splits'],
  summary: 'Get user’s pending splits',
  description:
    'Splits not yet settled in which the caller is owed money (they paid the expense) or still owes their own share. Newest first; a page at a time, the `Link` header points at the next page.',
  security: scoped('splits:read'),
  middleware: requireAuth,
  request: { query: ListSplitsQuery },
  responses: {
    200: {
      description: 'A page of pending splits',
      headers: linkHeaderDoc,
      content: { 'application/json': { schema: SplitList } },
    },
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { data, link } = await listPending(c.get('platform'), c.get('user'), c.req.valid('query'), c.req.url);
    if (link) c.get('platform').setHeaders(c, [['Link', link]]);
    return c.json({ success: true, count: data.length, data } as const, 200);
  });
