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
   * After a write request: seals soon, one seal at a time per process (a request that comes
   * while one runs asks for one more after it). Returns the promise to keep alive (waitUntil).
   */
  sealSoon(): Promise<void>;
  trail(userId: string, limit: number, before?: number): Promise<TrailPage>;
  verify(): Promise<Verdict>;
}

export function createAuditPort(db: Database, logger: Logger): AuditPort {
  let running: Promise<void> | null = null;
  let again = false;
  const run = async (): Promise<void> => {
    try {
      do {
        again = false;
        await seal(db);
      } while (again);
    } catch (err) {
      // The next write, or the audit.seal job, seals what this one could not.
      logger.warn('audit seal failed', { error: String(err) });
    } finally {
      running = null;
    }
  };
  return {
    seal: () => seal(db),
    sealSoon() {
      if (running) {
        again = true;
        return running;
      }
      return (running = run());
    },
    trail: (userId, limit, before) => trail(db, userId, limit, before),
    verify: () => verify(db),
  };
}
