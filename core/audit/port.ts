import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { seal, trail, verify, type TrailPage, type Verdict } from './chain.ts';

/**
 * The audit log (core/audit/): its rows are written by triggers inside every write's batch;
 * this port seals them into the hash chain, reads a user's trail and verifies the chain.
 */
export interface AuditPort {
  /** Seals what is unsealed; returns how many rows it sealed. */
  seal(): Promise<number>;
  /**
   * After a write request: seals within about SEAL_DELAY_MS, one pass at a time per process (a
   * request that comes while one reads asks for one more after it). Returns the promise to keep
   * alive (waitUntil).
   */
  sealSoon(): Promise<void>;
  trail(userId: string, limit: number, before?: number): Promise<TrailPage>;
  verify(): Promise<Verdict>;
}

/**
 * How long a pass waits after the write that asked for it. Writes come in bursts, and one pass
 * seals every row written before it reads: waiting lets it seal the rows of many group commits
 * (core/db/group-commit.ts) at once, where a pass per commit paid its four statements, and wrote
 * the audit_log pages of the commit before again for their hashes, once per commit.
 */
export const SEAL_DELAY_MS = 100;

export function createAuditPort(db: Database, logger: Logger): AuditPort {
  // The pass to come or under way, and whether it has begun reading.
  let pass: Promise<void> | null = null;
  let reading = false;
  let again = false;
  const run = async (): Promise<void> => {
    try {
      do {
        again = false;
        reading = false;
        await new Promise((resolve) => setTimeout(resolve, SEAL_DELAY_MS));
        // Stopped meanwhile (a host's shutdown): the audit.seal job, at the next start, seals the rest.
        if (db.$client.closed) return;
        reading = true;
        await seal(db);
      } while (again);
    } catch (err) {
      // The next write, or the audit.seal job, seals what this one could not.
      logger.warn('audit seal failed', { error: String(err) });
    } finally {
      pass = null;
      reading = false;
    }
  };
  return {
    seal: () => seal(db),
    sealSoon() {
      // A pass that has not begun reading will read this request's rows (committed before it asked).
      if (pass && !reading) return pass;
      if (pass) {
        again = true;
        return pass;
      }
      return (pass = run());
    },
    trail: (userId, limit, before) => trail(db, userId, limit, before),
    verify: () => verify(db),
  };
}
