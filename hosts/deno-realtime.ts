/// <reference lib="deno.window" />
/**
 * The Deno host's WebSocket transport for realtime sync: hono/deno's upgrade (Deno's own
 * `Deno.upgradeWebSocket`) behind the platform's `realtime` port, as hosts/node-realtime.ts
 * is on Node. The room logic stays in plugins/sync; this only moves frames.
 */
import { upgradeWebSocket } from 'hono/deno';
import type { WSContext } from 'hono/ws';
import type { SocketTransport } from '../core/platform.ts';

/** Going away: what a device sees when the server stops, and reconnects after. */
const GOING_AWAY = 1001;

export interface DenoRealtime {
  transport: SocketTransport;
  /** Closes every socket with 1001 and refuses new ones: the first step of a stop. */
  closeAll(): void;
}

export function createDenoRealtime(): DenoRealtime {
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
          // A binary frame is an ArrayBuffer or a Blob (binaryType); decoded, it is checked like text.
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
