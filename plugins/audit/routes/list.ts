import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors } from '../../../core/http/openapi.ts';
import { encodeCursor, linkHeaderDoc, nextLink } from '../../../core/http/paging.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { AuditPage, AuditQuery, cursorId } from '../schemas.ts';
import { toEntry } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listAuditTrail',
  tags: ['audit'],
  summary: "The user's audit trail",
  description:
    'Every write to the account’s data, newest first: what was written (table and key), the fields changed with their values before and after, who was signed in, the request id and the address. Written by the database in the same transaction as the write; sealed into a hash chain (`npm run audit:verify`).',
  security: bearerSecurity,
  middleware: requireAuth,
  request: { query: AuditQuery },
  responses: {
    200: { description: 'A page of the trail', headers: linkHeaderDoc, content: { 'application/json': { schema: AuditPage } } },
    ...errors(400, 401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const platform = c.get('platform');
    const page = await platform.audit.trail(c.get('user').id, limit, cursorId(cursor));
    const nextCursor = page.next === null ? null : encodeCursor([String(page.next)]);
    if (nextCursor) platform.setHeaders(c, [['Link', nextLink(c.req.url, { cursor: nextCursor })]]);
    return c.json({ entries: page.rows.map((r) => toEntry(r, c.get('user').id)), nextCursor }, 200);
  });
