import type { ChangesPort } from '../../core/changes/port.ts';
import { errorFields, type Logger } from '../../core/logger.ts';
import { Room, type Member } from './room.ts';
import { MAX_SYNC_PAGE, type ServerMessage } from './schemas.ts';

/** Devices one user may have connected at once (per process, or per Durable Object). */
export const MAX_DEVICES_PER_USER = 20;

/**
 * One user's Room fed from the change log: what the in-process hub keeps per user and a
 * Durable Object keeps for its one user. After a commit (`notify`) it reads the log after the
 * last seq it published and hands the rows to the room; reads run one at a time, in order.
 */
export class LiveRoom {
  readonly room: Room;
  readonly #userId: string;
  readonly #changes: Pick<ChangesPort, 'since' | 'last'>;
  readonly #logger: Logger;
  /** The last seq published to the room; null until read (or rebuilt). */
  #cursor: number | null;
  #chain: Promise<void> = Promise.resolve();
  /** Devices whose join waits for the cursor, with what it waits for. */
  readonly #joining = new Map<Member, Promise<void>>();

  /**
   * `cursor`: where publishing resumes, when the room is rebuilt with its members (after a
   * Durable Object's hibernation); without it the log's last seq is read before the first join.
   */
  constructor(userId: string, changes: Pick<ChangesPort, 'since' | 'last'>, logger: Logger, cursor?: number) {
    this.room = new Room((from, limit) => changes.since(userId, from, limit), MAX_SYNC_PAGE, () => changes.last(userId));
    this.#userId = userId;
    this.#changes = changes;
    this.#logger = logger;
    this.#cursor = cursor ?? null;
  }

  get size() {
    return this.room.size;
  }

  /** No device in the room and none joining: the hub may drop it. */
  get idle() {
    return this.room.size === 0 && this.#joining.size === 0;
  }

  /**
   * Adds a device. Its starting point is a published seq (the join waits for the room's pending
   * reads): a change committed after it is published to the room, one before it is in the catch-up.
   */
  async join(member: Member, since?: number): Promise<void> {
    const ready = this.#chain.then(async () => {
      this.#cursor ??= await this.#changes.last(this.#userId);
    });
    // A failed read fails this join only: the next one reads again.
    this.#chain = ready.catch(() => {});
    this.#joining.set(member, this.#chain);
    try {
      await ready;
    } catch (err) {
      this.#joining.delete(member);
      throw err;
    }
    // Left while joining (its socket closed): it never enters.
    if (!this.#joining.delete(member)) return;
    await this.room.join(member, this.#cursor!, since);
  }

  /** A device as it was before hibernation: no catch-up, it holds up to `lastSent`. */
  restore(member: Member, lastSent: number) {
    void this.room.join(member, lastSent);
  }

  leave(member: Member) {
    this.#joining.delete(member);
    this.room.leave(member);
  }

  async catchUp(member: Member, since: number) {
    // A request from a device still joining waits for its join: the room does not know it yet,
    // and would drop the request unanswered.
    await this.#joining.get(member);
    return this.room.catchUp(member, since);
  }

  broadcast(message: ServerMessage) {
    this.room.broadcast(message);
  }

  /** After a commit of the user's changes: publishes every change after the cursor. Never rejects (errors are logged). */
  notify(): Promise<void> {
    const publish = async () => {
      // No cursor yet: no device has joined, nothing to publish (the first join reads the log's end).
      if (this.#cursor === null) return;
      for (;;) {
        const changes = await this.#changes.since(this.#userId, this.#cursor, MAX_SYNC_PAGE);
        if (changes.length === 0) return;
        this.#cursor = changes.at(-1)!.seq;
        this.room.published(changes);
        if (changes.length < MAX_SYNC_PAGE) return;
      }
    };
    this.#chain = this.#chain.then(publish).catch((err) => this.#logger.error('sync publish failed', { userId: this.#userId, ...errorFields(err) }));
    return this.#chain;
  }
}
