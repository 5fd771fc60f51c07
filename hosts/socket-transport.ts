/**
 * What the embedded hosts' WebSocket transports share (hosts/node-realtime.ts, hosts/deno-realtime.ts):
 * the platform's `realtime` port over a runtime's `upgradeWebSocket` helper. The room logic
 * stays in plugins/sync; this only moves frames, and closes every socket on a stop.
 */
import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import type { SocketTransport } from '../core/platform.ts';

/** Going away: what a device sees when the server stops, and reconnects after. */
const GOING_AWAY = 1001;

export interface HostSockets {
  transport: SocketTransport;
  /** Closes every socket with 1001 and refuses new ones: the first step of a stop. */
  closeAll(): void;
}

// The runtime's own socket type does not matter here: only WSContext's methods are used.
export function socketTransport(upgradeWebSocket: UpgradeWebSocket<any>): HostSockets {
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
          // A binary frame (an ArrayBuffer, or a Blob by binaryType) is decoded and checked like text.
          if (typeof data === 'string') handlers.onMessage(data);
          else if (data instanceof Blob) void data.text().then(handlers.onMessage);
          else handlers.onMessage(decoder.decode(data));
        },
        onClose(_event, ws) {
          if (open.delete(ws)) handlers.onClose();
        },
      }),
  };
  return {
    transport,
    closeAll() {
      stopping = true;
      for (const ws of open) ws.close(GOING_AWAY, 'server stopping');
    },
  };
}
