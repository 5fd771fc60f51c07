import { createRoute } from '@hono/zod-openapi';
import { AppError } from '../../../core/http/errors.ts';
import { errors } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { openConnection } from '../connection.ts';
import { SocketQuery, SyncProtocol } from '../schemas.ts';
import { consumeTicket } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/ws',
  operationId: 'openSyncSocket',
  tags: ['sync'],
  summary: 'Open the realtime socket (WebSocket upgrade)',
  description:
    'Authenticated by a ticket from POST /api/sync/ticket, checked before the upgrade. Messages are JSON text: the server sends `SyncServerMessage`, the client `SyncClientMessage` (both in components). With `since`, the changes after it come first as `sync_data`, then live events.',
  security: [],
  request: { query: SocketQuery },
  responses: {
    101: {
      description: 'Switched to the WebSocket protocol; the frames are the messages of SyncProtocol',
      content: { 'application/json': { schema: SyncProtocol } },
    },
    ...errors(400, 401, 503),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const platform = c.get('platform');
    const { realtime } = platform;
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw new AppError('WEBSOCKET_REQUIRED', 'This is a WebSocket endpoint: send Upgrade: websocket');
    if (!realtime) throw new AppError('REALTIME_UNAVAILABLE', 'This host has no realtime transport yet; use GET /api/sync/pull');
    const { ticket, deviceId, since } = c.req.valid('query');
    const userId = ticket ? await consumeTicket(platform, ticket) : null;
    if (!userId) throw new AppError('INVALID_TICKET', 'Missing, unknown, used or expired ticket');
    // The user's room elsewhere (a Durable Object) takes the socket and answers the upgrade.
    if (realtime.kind === 'rooms') return (await realtime.connect(c, { userId, deviceId, ...(since !== undefined && { since }) })) as never;
    // The transport's own answer (the 101 goes out through the host, not as this Response).
    return (await realtime.upgrade(c, openConnection(platform, userId, deviceId, since))) as never;
  });
