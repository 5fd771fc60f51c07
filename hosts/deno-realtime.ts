/**
 * The Deno host's WebSocket transport for realtime sync: hono/deno's upgrade (Deno's own
 * `Deno.upgradeWebSocket`) behind the platform's `realtime` port, as hosts/node-realtime.ts
 * is on Node.
 */
import { upgradeWebSocket } from 'hono/deno';
import { socketTransport, type HostSockets } from './socket-transport.ts';

export const createDenoRealtime = (): HostSockets => socketTransport(upgradeWebSocket);
