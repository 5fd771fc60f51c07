/**
 * The Node host's WebSocket transport for realtime sync: @hono/node-server's own upgrade
 * (its 2.x line carries what @hono/node-ws did) over a `ws` server, behind the platform's
 * `realtime` port. The room logic stays in plugins/sync; this only moves frames.
 */
import { upgradeWebSocket } from '@hono/node-server';
import type { WSContext } from 'hono/ws';
import { WebSocketServer } from 'ws';
import type { SocketTransport } from '../core/platform.ts';

/** A frame larger than this closes the socket (1009): client messages are small JSON. */
const MAX_FRAME_BYTES = 64 * 1024;
/** Going away: what a device sees when the server stops, and reconnects after. */
const GOING_AWAY = 1001;

export interface NodeRealtime {
  /** For `serve({ websocket: { server } })`: it must be created with noServer. */
  server: WebSocketServer;
  transport: SocketTransport;
  /** Closes every socket with 1001 and refuses new ones: the first step of a stop. */
  closeAll(): void;
}

export function createNodeRealtime(): NodeRealtime {
  const server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const open = new Set<WSContext>();
  let stopping = false;
  const decoder = new TextDecoder();
  const transport: SocketTransport = {
    kind: 'sockets',
    upgrade: (c, handlers) =>
      upgradeWebSocket(c, {
        onOpen(_event, ws) {
          if (stopping) return ws.close(GOING_AWAY, 'server stopping');
          open.add(ws);
          handlers.onOpen({ send: (text) => ws.send(text), close: (code, reason) => ws.close(code, reason) });
        },
        onMessage(event) {
          const { data } = event;
          // Binary frames come as ArrayBuffers (binaryType arraybuffer); decoded, they are checked like text.
          handlers.onMessage(typeof data === 'string' ? data : data instanceof Blob ? '' : decoder.decode(data));
        },
        onClose(_event, ws) {
          if (open.delete(ws)) handlers.onClose();
        },
      }),
  };
  return {
    server,
    transport,
    closeAll() {
      stopping = true;
      for (const ws of open) ws.close(GOING_AWAY, 'server stopping');
    },
  };
}
