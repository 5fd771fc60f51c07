import { errorFields, type Logger } from '../logger.ts';
import type { DatabaseFault } from './faults.ts';

/** How long after its last sighting a fault still marks the service degraded. */
const RECENT_MS = 30_000;

export interface FaultMonitor {
  /** A request met `fault`: the first of a burst is logged, the rest only counted. */
  seen(fault: DatabaseFault, err: unknown): void;
  /** A write went through: whatever fault was seen is over. */
  recovered(): void;
  /** The fault seen in the last 30 s and not yet recovered from. */
  current(): DatabaseFault | null;
}

export function createFaultMonitor(logger: Logger, now: () => number = Date.now): FaultMonitor {
  let burst: { fault: DatabaseFault; since: number; last: number; count: number } | null = null;
  const monitor: FaultMonitor = {
    seen(fault, err) {
      const t = now();
      if (burst && burst.fault === fault && t - burst.last <= RECENT_MS) {
        burst.last = t;
        burst.count++;
        return;
      }
      if (burst) monitor.recovered();
      burst = { fault, since: t, last: t, count: 1 };
      // One line per burst: a full disk under load would otherwise write one per request.
      logger.error('database fault', { fault, ...errorFields(err, { stack: false }) });
    },
    recovered() {
      if (!burst) return;
      logger.warn('database fault over', { fault: burst.fault, failures: burst.count, ms: now() - burst.since });
      burst = null;
    },
    current: () => (burst && now() - burst.last <= RECENT_MS ? burst.fault : null),
  };
  return monitor;
}
