import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { PullQuery, SyncPage } from '../schemas.ts';
import { pull } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/pull',
  operationId: 'pullSyncChanges',
  tags: ['sync'],
  summary: 'Changes after a seq (the HTTP form of sync_data)',
  description: 'Oldest first; ask again with `since=nextSeq` while `hasMore`.',
  security: bearerSecurity,
  middleware: requireAuth,
  request: { query: PullQuery },
  responses: {
    200: jsonContent(SyncPage, 'A page of changes'),
    ...errors(400, 401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { since, limit } = c.req.valid('query');
    return c.json((await pull(c.get('platform'), c.get('user').id, since, limit)) as never, 200);
  });
