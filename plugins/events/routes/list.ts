import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { AppError } from '../../../core/http/errors.ts';
import { scoped } from '../../../core/auth/scopes.ts';
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
    'Oldest first; ask again with `after=next` while `hasMore`. A seq is assigned inside the transaction that stores the event, so paging while writes go on skips nothing and repeats nothing. A cursor whose next events were deleted (older than 30 days) is 410 `CURSOR_EXPIRED`: start again from `after=0`.',
  security: scoped('events:read'),
  middleware: requireAuth,
  request: { query: EventsQuery },
  responses: {
    200: jsonContent(EventsPage, 'A page of events'),
    ...errors(401, 410),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { after, limit, types } = c.req.valid('query');
    const wanted = parseTypes(types, 'query.types');
    const platform = c.get('platform');
    // Nothing is silently skipped: a cursor the retention has overtaken says so.
    if (after > 0 && (await platform.feed.expired(c.get('user').id, after))) {
      throw new AppError('CURSOR_EXPIRED', 'Events after this cursor are no longer kept', [{ path: 'query.after', message: 'is older than the feed keeps (30 days): start again from 0' }]);
    }
    // One more than asked tells whether there is more, without a second query.
    const rows = await platform.feed.after(c.get('user').id, after, { limit: limit + 1, ...(wanted && { types: wanted }) });
    const events = rows.slice(0, limit);
    return c.json({ events, next: events.at(-1)?.seq ?? after, hasMore: rows.length > limit }, 200);
  });
