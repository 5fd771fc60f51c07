import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Config } from './config.ts';
import type { JobDefinition } from './jobs.ts';
import { changeLog } from './changes/tables.ts';
import { eventFeed } from './feed/tables.ts';
import { FEED_RETENTION_DAYS } from './feed/types.ts';
import { idempotencyKeys } from './idempotency/tables.ts';
import { jobRuns } from './jobs/tables.ts';
import { securityEvents } from './security/tables.ts';

/**
 * What the `retention` job deletes: each owner of a growing table (core's job runs and
 * change log, the notifications outbox, the audit log, …) registers one rule at boot — a plugin
 * through `retention` in its definition — and the job applies each in bounded batches, so no
 * delete holds the database for long and a large backlog drains over a few runs.
 */
export interface RetentionRule {
  /** Names the rule in logs and the job's count, e.g. `jobs.runs`. */
  name: string;
  table: SQLiteTable;
  /** When a row happened: ISO 8601 text (`iso`) or epoch milliseconds (`ms`). */
  timeColumn: SQLiteColumn;
  unit?: 'iso' | 'ms';
  /** Days a row is kept, from the configuration (RETENTION_<WHAT>_DAYS). */
  days(config: Config): number;
  /** Only rows that also match this may go (say, an outbox row already sent). */
  where?: SQL;
  /** Rows per delete statement (default 1,000). */
  batchSize?: number;
}

export interface RetentionRegistry {
  add(rule: RetentionRule): void;
  list(): readonly RetentionRule[];
}

export function createRetentionRegistry(): RetentionRegistry {
  const rules = new Map<string, RetentionRule>();
  return {
    add(rule) {
      if (rules.has(rule.name)) throw new Error(`retention rule ${rule.name} is registered twice`);
      rules.set(rule.name, rule);
    },
    list: () => [...rules.values()],
  };
}

const DEFAULT_BATCH = 1000;
/** Batches per rule per run: a backlog beyond this waits for the next day's run. */
const MAX_BATCHES = 500;
const DAY_MS = 86_400_000;

/** Core's own rules: job runs, the change log beyond what devices still need, security events, the events feed, kept idempotent answers. */
export const coreRetentionRules: RetentionRule[] = [
  // A run still `running` is the dispatcher's to settle (abandoned), never deleted under it.
  { name: 'jobs.runs', table: jobRuns, timeColumn: jobRuns.startedAt, days: (c) => c.RETENTION_JOB_RUNS_DAYS, where: sql`${jobRuns.outcome} <> 'running'` },
  // A device whose last seq is older than what is kept gets `resync` from sync_data and pull
  // (plugins/sync): it reloads the whole state and carries on from the current seq.
  { name: 'changes.log', table: changeLog, timeColumn: changeLog.createdAt, days: (c) => c.RETENTION_CHANGE_LOG_DAYS },
  { name: 'security.events', table: securityEvents, timeColumn: securityEvents.at, days: (c) => c.RETENTION_SECURITY_EVENTS_DAYS },
  // The events feed (GET /api/events): a cursor the deletes overtake is told so (410), never skipped past.
  { name: 'feed.events', table: eventFeed, timeColumn: eventFeed.createdAt, days: () => FEED_RETENTION_DAYS },
  // Kept answers past their 24 hours (expires_at): they can no longer be replayed, and they hold bodies.
  { name: 'idempotency.keys', table: idempotencyKeys, timeColumn: idempotencyKeys.expiresAt, days: () => 0 },
];

/** Deletes what every rule says is old, in batches; returns how many rows went. */
export const retentionJob: JobDefinition = {
  name: 'retention',
  // Every three hours, on the rates job's trigger: one cron trigger fewer on Workers (a free
  // account has five), and a bounded delete that finds nothing is cheap.
  cron: '5 */3 * * *',
  leaseMs: 10 * 60_000,
  async run({ platform, signal }) {
    const { db, config, logger } = platform;
    const now = platform.clock.now().getTime();
    let total = 0;
    for (const rule of platform.retention.list()) {
      const cutoffMs = now - rule.days(config) * DAY_MS;
      const cutoff = rule.unit === 'ms' ? cutoffMs : new Date(cutoffMs).toISOString();
      const size = rule.batchSize ?? DEFAULT_BATCH;
      const old = rule.where ? sql`${rule.timeColumn} < ${cutoff} and (${rule.where})` : sql`${rule.timeColumn} < ${cutoff}`;
      let deleted = 0;
      for (let i = 0; i < MAX_BATCHES && !signal.aborted; i++) {
        // rowid: every table here is an ordinary rowid table; the subselect bounds the batch.
        const result = await db.run(sql`delete from ${rule.table} where rowid in (select rowid from ${rule.table} where ${old} limit ${size})`);
        deleted += result.rowsAffected;
        if (result.rowsAffected < size) break;
      }
      if (deleted > 0) logger.info('retention: old rows deleted', { rule: rule.name, deleted });
      total += deleted;
    }
    return total;
  },
};
