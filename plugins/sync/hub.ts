import type { ChangesPort } from '../../core/changes/port.ts';
import type { Logger } from '../../core/logger.ts';
import { LiveRoom } from './live-room.ts';
import type { Member } from './room.ts';
import type { ServerMessage } from './schemas.ts';

export { MAX_DEVICES_PER_USER } from './live-room.ts';

/**
 * The in-process hub of the embedded hosts (Node, Deno): one LiveRoom per user with devices
 * connected here, dropped when its last device leaves. A Durable Object holds the same LiveRoom
 * for its one user on Workers.
 */
export class Hub {
  readonly #rooms = new Map<string, LiveRoom>();
  readonly #changes: ChangesPort;
  readonly #logger: Logger;

  constructor(changes: ChangesPort, logger: Logger) {
    this.#changes = changes;
    this.#logger = logger;
  }

  /** The number of devices of `userId` connected here. */
  devices(userId: string) {
    return this.#rooms.get(userId)?.size ?? 0;
  }

  /** Adds a device to its user's room (made on the first join, its cursor read then). */
  join(userId: string, member: Member, since?: number): Promise<void> {
    let live = this.#rooms.get(userId);
    if (!live) this.#rooms.set(userId, (live = new LiveRoom(userId, this.#changes, this.#logger)));
    const room = live;
    return room.join(member, since).catch((err) => {
      if (room.idle && this.#rooms.get(userId) === room) this.#rooms.delete(userId);
      throw err;
    });
  }

  leave(userId: string, member: Member) {
    const live = this.#rooms.get(userId);
    if (!live) return;
    live.leave(member);
    if (live.idle) this.#rooms.delete(userId);
  }

  catchUp(userId: string, member: Member, since: number) {
    return this.#rooms.get(userId)?.catchUp(member, since) ?? Promise.resolve();
  }

  /** Sends `message` to every device of `userId` connected here (not a change: nothing to catch up). */
  broadcast(userId: string, message: ServerMessage) {
    this.#rooms.get(userId)?.broadcast(message);
  }

  /** After a commit of `userId`'s changes: publishes every change after the room's cursor. */
  notify(userId: string): Promise<void> {
    return this.#rooms.get(userId)?.notify() ?? Promise.resolve();
  }
}

const hubs = new WeakMap<object, Hub>();

/** The hub of one platform (one per process on Node and Deno; tests build several). */
export function hubOf(platform: { changes: ChangesPort; logger: Logger }): Hub {
  let hub = hubs.get(platform);
  if (!hub) hubs.set(platform, (hub = new Hub(platform.changes, platform.logger)));
  return hub;
}
