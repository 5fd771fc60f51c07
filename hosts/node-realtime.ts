/**
 * The Node host's WebSocket transport for realtime sync: @hono/node-server's own upgrade
 * (its 2.x line carries what @hono/node-ws did) over a `ws` server, behind the platform's
 * `realtime` port.
 */
import { upgradeWebSocket } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { socketTransport, type HostSockets } from './socket-transport.ts';

/** A frame larger than this closes the socket (1009): client messages are small JSON. */
const MAX_FRAME_BYTES = 64 * 1024;

export interface NodeRealtime extends HostSockets {
  /** For `serve({ websocket: { server } })`: it must be created with noServer. */
  server: WebSocketServer;
}

export function createNodeRealtime(): NodeRealtime {
  return { server: new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES }), ...socketTransport(upgradeWebSocket) };
}
