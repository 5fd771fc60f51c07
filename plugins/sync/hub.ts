import type { ChangesPort } from '../../core/changes/port.ts';
import { errorFields, type Logger } from '../../core/logger.ts';
import { Room, type Member } from './room.ts';
import { MAX_SYNC_PAGE, type ServerMessage } from './schemas.ts';

/** Devices one user may have connected at once (per process). */
export const MAX_DEVICES_PER_USER = 20;

interface UserRoom {
  room: Room;
  /** The last seq the room has published; reads of the log chain on it, one at a time. */
  cursor: number;
  chain: Promise<void>;
}

/**
 * The in-process hub of the embedded hosts (Node, Deno): one Room per user with devices
 * connected here. After a commit (`change.recorded`) it reads the user's log after the last seq
 * it published and hands the rows to the room; a Durable Object will do the same per user.
 */
export class Hub {
  readonly #rooms = new Map<string, UserRoom>();
  readonly #changes: ChangesPort;
  readonly #logger: Logger;

  constructor(changes: ChangesPort, logger: Logger) {
    this.#changes = changes;
    this.#logger = logger;
  }

  /** The number of devices of `userId` connected here. */
  devices(userId: string) {
    return this.#rooms.get(userId)?.room.size ?? 0;
  }

  /**
   * Adds a device to its user's room. The room exists (and its cursor is read) before the
   * catch-up starts: a change committed after that read is published to the room, one before it
   * is in the catch-up.
   */
  async join(userId: string, member: Member, since?: number): Promise<void> {
    let entry = this.#rooms.get(userId);
    if (!entry) {
      const created: UserRoom = {
        room: new Room((from, limit) => this.#changes.since(userId, from, limit), MAX_SYNC_PAGE),
        cursor: 0,
        chain: Promise.resolve(),
      };
      created.chain = this.#changes.last(userId).then((seq) => {
        created.cursor = seq;
      });
      this.#rooms.set(userId, created);
      entry = created;
    }
    const target = entry;
    // Joins after the room's pending reads: the member's starting point is a published seq.
    await target.chain;
    if (this.#rooms.get(userId) !== target) return this.join(userId, member, since);
    await target.room.join(member, target.cursor, since);
  }

  leave(userId: string, member: Member) {
    const entry = this.#rooms.get(userId);
    if (!entry) return;
    entry.room.leave(member);
    if (entry.room.size === 0) this.#rooms.delete(userId);
  }

  catchUp(userId: string, member: Member, since: number) {
    return this.#rooms.get(userId)?.room.catchUp(member, since) ?? Promise.resolve();
  }

  /** Sends `message` to every device of `userId` connected here (not a change: nothing to catch up). */
  broadcast(userId: string, message: ServerMessage) {
    this.#rooms.get(userId)?.room.broadcast(message);
  }

  /** After a commit of `userId`'s changes: publishes every change after the room's cursor. */
  notify(userId: string): Promise<void> {
    const entry = this.#rooms.get(userId);
    if (!entry) return Promise.resolve();
    const publish = async () => {
      for (;;) {
        const changes = await this.#changes.since(userId, entry.cursor, MAX_SYNC_PAGE);
        if (changes.length === 0) return;
        entry.cursor = changes.at(-1)!.seq;
        entry.room.published(changes);
        if (changes.length < MAX_SYNC_PAGE) return;
      }
    };
    entry.chain = entry.chain.then(publish).catch((err) => this.#logger.error('sync publish failed', { userId, ...errorFields(err) }));
    return entry.chain;
  }
}

const hubs = new WeakMap<object, Hub>();

/** The hub of one platform (one per process on Node and Deno; tests build several). */
export function hubOf(platform: { changes: ChangesPort; logger: Logger }): Hub {
  let hub = hubs.get(platform);
  if (!hub) hubs.set(platform, (hub = new Hub(platform.changes, platform.logger)));
  return hub;
}
