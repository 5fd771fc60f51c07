import Database from 'libsql/promise';
import { setTimeout, clearTimeout } from 'node:timers'; // explicit: the Deno host runs this too

// The WAL size (in pages) at which SQLite checkpoints inside a commit itself: only a backstop
// here, reached if the background checkpoints fail (SQLite's default is 1000).
export const BACKSTOP_PAGES = 10_000;
// At most one checkpoint this often: each copies what the commits since the last one wrote, and
// a page written by several of them is copied once.
const EVERY_MS = 200;
// After this many commits made while a checkpoint was under way, the next group waits for it.
const MAX_BEHIND = 4;

/**
 * Copies the WAL back into the database file from a second connection, whose `exec` the driver
 * runs on a thread of its own: the main thread goes on serving while the pages are copied and
 * the file is synced. Left to SQLite, the checkpoint ran inside the commit that took the WAL
 * past 1,000 pages, on the main thread: at 50 concurrent creates, one group in fifteen took
 * 14–19 ms more than the 2–3 ms of the others (bench/RESULTS.md).
 *
 * PASSIVE: it never waits for, or blocks, the writer or a reader. The WAL starts again from
 * its beginning at the first commit after a checkpoint that copied all of it, so a checkpoint
 * with no commit while it ran keeps the file small. Under back-to-back commits that may never
 * happen: after MAX_BEHIND commits made during checkpoints, the group commit waits for the one
 * under way (`pending`), off the main thread, and its commit then starts the WAL again.
 *
 * With synchronous=FULL a checkpoint syncs the WAL before it copies and the database file
 * after, so a power cut in between loses nothing; a failed one loses nothing either (the WAL
 * still holds every page), and a later commit starts another.
 */
export class BackgroundCheckpoint {
  readonly #db: Database;
  #running: Promise<void> | null = null;
  #lastStart = -Infinity;
  // Commits made while a checkpoint was under way, since the last one that had none.
  #behind = 0;
  // Commits not yet covered by a checkpoint that began after them.
  #dirty = false;
  // Fires EVERY_MS after the last commit: the last writes of a burst are copied too.
  #idle: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(path: string) {
    this.#db = new Database(path, {});
  }

  /**
   * After each commit: starts a checkpoint unless one is under way or began less than EVERY_MS
   * ago; what is left waits for a later commit or, when writes stop, for the idle timer.
   */
  committed(): void {
    if (this.#closed) return;
    this.#dirty = true;
    if (this.#running) {
      this.#behind++;
    } else if (performance.now() - this.#lastStart >= EVERY_MS) {
      this.#start();
      return;
    }
    this.#armIdle();
  }

  /** What the next group should wait for before it begins, if anything. */
  pending(): Promise<void> | null {
    return this.#behind >= MAX_BEHIND ? this.#running : null;
  }

  /** Waits for the checkpoint under way, then closes the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#idle) clearTimeout(this.#idle);
    await this.#running;
    this.#db.close();
  }

  #armIdle(): void {
    if (this.#idle) {
      this.#idle.refresh();
      return;
    }
    this.#idle = setTimeout(() => {
      this.#idle = null;
      if (this.#closed || !this.#dirty) return;
      if (this.#running) this.#armIdle();
      else this.#start();
    }, EVERY_MS);
    // A timer of its own must not keep a process alive that has nothing else to do.
    this.#idle.unref?.();
  }

  #start(): void {
    this.#lastStart = performance.now();
    this.#dirty = false;
    const behind = this.#behind;
    this.#running = this.#db
      // The read first: a connection finds the database in WAL mode (and opens the WAL) only when
      // it reads, and this one may have been opened before the mode was set; without the WAL
      // open, wal_checkpoint does nothing. synchronous=FULL is the default; said here, it is sure.
      .exec('PRAGMA synchronous = FULL; SELECT 1 FROM sqlite_schema LIMIT 1; PRAGMA wal_checkpoint(PASSIVE)')
      .then(
        () => {
          if (this.#behind === behind) this.#behind = 0; // no commit overlapped this one
        },
        () => {
          // Nothing is lost (see above); a later commit tries again, and the backstop bounds the WAL.
        },
      )
      .finally(() => {
        this.#running = null;
        // The next group waits for a checkpoint no commit overlapped (see pending): one more, now.
        if (this.#behind >= MAX_BEHIND && this.#dirty && !this.#closed) this.#start();
      });
  }
}
