import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const JOB_TRIGGERS = ['cron', 'startup', 'manual', 'demand'] as const;
/** `running` until it ends; `abandoned` when its holder stopped (its lease expired and another run took over). */
export const JOB_OUTCOMES = ['running', 'ok', 'failed', 'abandoned'] as const;

/**
 * One row per run of a job, on any host or process (core/jobs.ts writes it). A tick that finds
 * the job's lease held is no run: it is not recorded here.
 */
export const jobRuns = sqliteTable(
  'job_run',
  {
    /** UUIDv7: sorting by id sorts by start. */
    id: text('id').primaryKey(),
    job: text('job').notNull(),
    trigger: text('trigger', { enum: JOB_TRIGGERS }).notNull(),
    /** Which dispatcher ran it (one per process or isolate). */
    holder: text('holder').notNull(),
    startedAt: text('started_at').notNull(),
    finishedAt: text('finished_at'),
    outcome: text('outcome', { enum: JOB_OUTCOMES }).notNull(),
    /** What the job reported as done (emails handed over, expenses created); null when it reports nothing. */
    items: integer('items'),
    /** The failure's message (clipped), for operators; never shown by /health. */
    error: text('error'),
  },
  (t) => [index('job_run_job_idx').on(t.job, t.id)],
);

/**
 * At most one row per job: who runs it now and until when. Taken with one conditional upsert
 * (only when absent or expired), renewed while the run goes on, deleted by its holder at the
 * end. A holder that died stops renewing: its lease expires and the next tick takes over.
 */
export const jobLeases = sqliteTable('job_lease', {
  job: text('job').primaryKey(),
  holder: text('holder').notNull(),
  runId: text('run_id').notNull(),
  /** Epoch milliseconds (the platform clock). */
  expiresAt: integer('expires_at').notNull(),
});
