import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { EventsPage, EventsQuery } from '../schemas.ts';
import { parseTypes } from '../types.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listEvents',
  tags: ['events'],
  summary: 'Your events after a cursor',
  description:
    'Oldest first; ask again with `after=next` while `hasMore`. A seq is assigned inside the transaction that stores the event, so paging while writes go on skips nothing and repeats nothing.',
  security: bearerSecurity,
  middleware: requireAuth,
  request: { query: EventsQuery },
  responses: {
    200: jsonContent(EventsPage, 'A page of events'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { after, limit, types } = c.req.valid('query');
    const wanted = parseTypes(types, 'query.types');
    // One more than asked tells whether there is more, without a second query.
    const rows = await c.var.platform.feed.after(c.var.user.id, after, { limit: limit + 1, ...(wanted && { types: wanted }) });
    const events = rows.slice(0, limit);
    return c.json({ events, next: events.at(-1)?.seq ?? after, hasMore: rows.length > limit }, 200);
  });
