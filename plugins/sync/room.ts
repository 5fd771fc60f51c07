import type { ChangeRecord } from '../../core/changes/port.ts';
import { eventTypeOf, type ServerMessage } from './schemas.ts';

/** One connected device, as the room sees it: whatever the transport (Node, Deno, a Durable Object). */
export interface Member {
  deviceId: string;
  send(message: ServerMessage): void;
  /**
   * Told each time the last seq this device holds moves (after the sends that moved it): a
   * Durable Object keeps it in the socket's attachment, to rebuild the room after hibernation.
   */
  advanced?(lastSent: number): void;
}

/** Reads the user's change log after `since`, oldest first. */
export type ReadChanges = (since: number, limit: number) => Promise<ChangeRecord[]>;
/** The user's last seq (their data version). */
export type ReadLast = () => Promise<number>;

/**
 * Whether a device holding `since` cannot catch up from the log: the first change after it is
 * not since + 1 (older ones were deleted by retention, or predate the log). `first` is the
 * first page read after `since`; `last` is read only when that page is empty.
 */
export async function needsResync(since: number, first: readonly ChangeRecord[], last: ReadLast): Promise<number | null> {
  if (first.length > 0) return first[0]!.seq === since + 1 ? null : await last();
  const current = await last();
  return current > since ? current : null;
}

interface MemberState {
  /** The last seq this device has been given (or skipped, as its own). */
  lastSent: number;
  /** While a catch-up runs: the live changes that arrived meanwhile, sent after it. */
  buffer: ChangeRecord[] | null;
  /** Catch-ups of one member run one after the other. */
  queue: Promise<void>;
}

export const changeEvent = (c: ChangeRecord): ServerMessage => ({ type: eventTypeOf(c.entity, c.op), change: c as never });

/**
 * One user's room: pure logic, no socket and no runtime in it, so the in-process hub (Node,
 * Deno) and a Durable Object (Workers) run the same rules.
 *
 * - `published` fans a user's new changes out, in seq order, to every device but the one that
 *   made each change.
 * - `catchUp` sends a device the changes after its `since` as `sync_data` pages; live changes
 *   that arrive meanwhile are held, then sent with those already in the catch-up dropped (seq ≤
 *   the last one sent): nothing is missed or doubled between the two.
 */
export class Room {
  readonly #members = new Map<Member, MemberState>();
  readonly #read: ReadChanges;
  readonly #pageSize: number;
  readonly #last: ReadLast;

  constructor(read: ReadChanges, pageSize: number, last: ReadLast) {
    this.#read = read;
    this.#pageSize = pageSize;
    this.#last = last;
  }

  get size() {
    return this.#members.size;
  }

  /** The last seq `member` holds (undefined when it is not in the room). */
  lastSent(member: Member): number | undefined {
    return this.#members.get(member)?.lastSent;
  }

  /** Adds a device that holds everything up to `lastSeq`; with `since`, it first catches up from there. */
  join(member: Member, lastSeq: number, since?: number): Promise<void> {
    this.#members.set(member, { lastSent: lastSeq, buffer: null, queue: Promise.resolve() });
    return since === undefined ? Promise.resolve() : this.catchUp(member, since);
  }

  leave(member: Member) {
    this.#members.delete(member);
  }

  /** Sends the changes after `since` in pages, then what arrived live meanwhile. */
  catchUp(member: Member, since: number): Promise<void> {
    const state = this.#members.get(member);
    if (!state) return Promise.resolve();
    const run = async () => {
      state.buffer ??= [];
      try {
        let from = since;
        for (let page = 0; ; page++) {
          const changes = await this.#read(from, this.#pageSize);
          if (!this.#members.has(member)) return;
          const resyncFrom = page === 0 ? await needsResync(since, changes, this.#last) : null;
          if (resyncFrom !== null) {
            // The log no longer holds what follows `since`: the device reloads its whole state
            // and carries on from resyncFrom (changes after it still come live).
            state.lastSent = Math.max(state.lastSent, resyncFrom);
            member.send({ type: 'sync_data', changes: [], nextSeq: resyncFrom, hasMore: false, resync: true });
            member.advanced?.(state.lastSent);
            break;
          }
          const hasMore = changes.length === this.#pageSize;
          if (changes.length > 0) {
            from = changes.at(-1)!.seq;
            // Only seqs actually sent count: a `since` past the log's end (a restored database,
            // another server's cursor) must not hide the live changes that follow.
            state.lastSent = Math.max(state.lastSent, from);
          }
          member.send({ type: 'sync_data', changes: changes as never, nextSeq: from, hasMore });
          if (changes.length > 0) member.advanced?.(state.lastSent);
          if (!hasMore) break;
        }
      } finally {
        const held = state.buffer ?? [];
        state.buffer = null;
        this.#deliver(member, state, held);
      }
    };
    state.queue = state.queue.then(run, run);
    return state.queue;
  }

  /** A message outside the change log (a notification) to every device, live or catching up. */
  broadcast(message: ServerMessage) {
    for (const member of this.#members.keys()) member.send(message);
  }

  /** New changes of the user, in seq order, already committed. */
  published(changes: readonly ChangeRecord[]) {
    for (const [member, state] of this.#members) {
      if (state.buffer) state.buffer.push(...changes);
      else this.#deliver(member, state, changes);
    }
  }

  #deliver(member: Member, state: MemberState, changes: readonly ChangeRecord[]) {
    const before = state.lastSent;
    for (const c of changes) {
      if (c.seq <= state.lastSent) continue;
      state.lastSent = c.seq;
      if (c.deviceId !== member.deviceId) member.send(changeEvent(c));
    }
    if (state.lastSent !== before) member.advanced?.(state.lastSent);
  }
}
