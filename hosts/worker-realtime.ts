/**
 * The Worker host's realtime seam: the rooms run in Durable Objects, one per user
 * (durable-objects/sync-room.ts, `idFromName(userId)`). The sync plugin checks the ticket,
 * then this forwards the upgrade to the user's room; after a commit it tells the room by RPC,
 * inside `waitUntil` so the answer to the write does not wait for the fan-out.
 */
import { waitUntil } from 'cloudflare:workers';
import type { Logger } from '../core/logger.ts';
import { errorFields } from '../core/logger.ts';
import type { RemoteRooms } from '../core/platform.ts';
import type { SyncRoom } from '../durable-objects/sync-room.ts';

export function durableObjectRooms(namespace: DurableObjectNamespace<SyncRoom>, logger: Logger): RemoteRooms {
  const roomOf = (userId: string) => namespace.get(namespace.idFromName(userId));
  const later = (what: string, userId: string, call: Promise<unknown>) =>
    waitUntil(call.catch((err) => logger.error(`sync room ${what} failed`, { userId, ...errorFields(err) })));
  return {
    kind: 'rooms',
    async connect(_c, { userId, deviceId, since }) {
      // The room trusts these: only this Worker reaches it, through the binding.
      const url = new URL('https://sync-room.invalid/connect');
      url.searchParams.set('userId', userId);
      url.searchParams.set('deviceId', deviceId);
      if (since !== undefined) url.searchParams.set('since', String(since));
      return roomOf(userId).fetch(url, { headers: { upgrade: 'websocket' } });
    },
    published: (userId) => later('publish', userId, roomOf(userId).published(userId)),
    broadcast: (userId, message) => later('broadcast', userId, roomOf(userId).broadcast(userId, message as never)),
  };
}
