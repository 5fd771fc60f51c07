import { and, desc, eq, lte, ne } from 'drizzle-orm';
import type { Platform } from './platform.ts';
import { errorFields } from './logger.ts';
import { jobLeases, jobRuns, type JOB_OUTCOMES } from './jobs/tables.ts';

/** `demand`: started by a request that found the job's data missing (say, no rates on a fresh deployment). */
export type JobTrigger = 'cron' | 'startup' | 'manual' | 'demand';

export interface JobContext {
  platform: Platform;
  trigger: JobTrigger;
  /**
   * Aborted when this run lost its lease (its renewal found another holder: the database was
   * out of reach longer than the lease). A long job checks it between batches and stops.
   */
  signal: AbortSignal;
}

export interface JobDefinition {
  /** `plugin.job`, unique across the app. */
  name: string;
  /** Five-field cron string; the Workers host needs the same string in wrangler.toml. */
  cron: string;
  /** Also run once when an embedded host (Node, Deno) starts (the job decides whether there is work). */
  runOnStart?: boolean;
  /** How long a lease lasts without renewal (default 5 minutes); renewed every third of it while the job runs. */
  leaseMs?: number;
  /** Returns how many items it processed (recorded with the run), or nothing. */
  run(ctx: JobContext): Promise<number | void>;
}

/** What a call of `run` came to; a failed run throws instead. */
export type RunResult = { outcome: 'ok'; runId: string; items: number | null } | { outcome: 'skipped'; heldBy: string | null };

/** A job's latest run, as /health shows it. */
export interface LastRun {
  trigger: JobTrigger;
  startedAt: string;
  finishedAt: string | null;
  outcome: (typeof JOB_OUTCOMES)[number];
  items: number | null;
}

export interface JobStatus {
  name: string;
  cron: string;
  lastRun: LastRun | null;
}

export interface JobRegistry {
  add(job: JobDefinition): void;
  list(): readonly JobDefinition[];
  /**
   * Runs one job by name, unless its lease is held (by this or another process): then it
   * returns `skipped` at once. Failures are logged, recorded and rethrown to the caller.
   */
  run(name: string, trigger: JobTrigger): Promise<RunResult>;
  /** Runs every job scheduled on `cron` (the Workers `scheduled()` event names the cron). */
  runCron(cron: string): Promise<void>;
  /**
   * Each job's latest run, from any process: read from the database at most once per
   * `statusTtlMs`; with `read: false`, only what this process ran and the last read.
   */
  status(options?: { read?: boolean }): Promise<JobStatus[]>;
  /**
   * A graceful stop (SIGTERM): starts no more runs, tells the running ones through their
   * signal, waits up to `graceMs` for them to end, then gives back the leases of those still
   * running (their runs marked `abandoned`), so another process need not wait for expiry.
   */
  stop(graceMs: number): Promise<void>;
}

export interface DispatcherOptions {
  /** Names this dispatcher in leases and runs; default a fresh id (one per process or isolate). */
  holder?: string;
  /** Default lease length for jobs that name none. */
  leaseMs?: number;
  /** How long /health may show runs read from the database before reading them again. */
  statusTtlMs?: number;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;
const STATUS_TTL_MS = 5_000;
const MAX_ERROR = 1000;

/**
 * The one dispatcher of every host: croner calls `run` on Node and Deno, `scheduled()` calls
 * `runCron` on Workers. Each run takes the job's lease row first (a conditional upsert that
 * succeeds only where there is none or it expired), so two processes on one database, or a
 * tick that overlaps the last, skip instead of doing the work twice.
 */
export function createJobRegistry(getPlatform: () => Platform, options: DispatcherOptions = {}): JobRegistry {
  const jobs = new Map<string, JobDefinition>();
  let holder = options.holder;
  const statusTtlMs = options.statusTtlMs ?? STATUS_TTL_MS;

  // This process's own latest runs, so /health shows them at once; other processes' come from
  // the table, read at most once per statusTtlMs (/health is hit many times a second).
  const local = new Map<string, LastRun & { id: string }>();
  let fromTable: { at: number; runs: Map<string, LastRun & { id: string }> } | undefined;
  let reading: Promise<void> | undefined;
  // What status() answers, built again only when a run starts or ends here or the table is read.
  let answer: JobStatus[] | undefined;
  // This process's runs in progress: what a stop tells and, if they outlast it, gives back.
  const running = new Map<string, { name: string; lost: AbortController; done: Promise<unknown> }>();
  let stopped = false;
  const noteLocal = (name: string, run: LastRun & { id: string }) => {
    local.set(name, run);
    answer = undefined;
  };

  const acquire = async (platform: Platform, job: JobDefinition, runId: string, trigger: JobTrigger) => {
    const { db, clock } = platform;
    const now = clock.now();
    const expiresAt = now.getTime() + (job.leaseMs ?? options.leaseMs ?? DEFAULT_LEASE_MS);
    const lease = { holder: holder!, runId, expiresAt };
    const taken = await db
      .insert(jobLeases)
      .values({ job: job.name, ...lease })
      .onConflictDoUpdate({ target: jobLeases.job, set: lease, setWhere: lte(jobLeases.expiresAt, now.getTime()) })
      .returning({ runId: jobLeases.runId });
    if (taken.length === 0) return undefined;
    const startedAt = now.toISOString();
    // Holding the lease, any run of this job still marked running is one whose holder stopped.
    const recorded = db.batch([
      db
        .update(jobRuns)
        .set({ outcome: 'abandoned', finishedAt: startedAt, error: 'its holder stopped renewing the lease' })
        .where(and(eq(jobRuns.job, job.name), eq(jobRuns.outcome, 'running'), ne(jobRuns.id, runId))),
      db.insert(jobRuns).values({ id: runId, job: job.name, trigger, holder: holder!, startedAt, outcome: 'running' }),
    ]);
    try {
      await recorded;
    } catch (err) {
      // Not run, so not held: the next tick need not wait for the lease to expire.
      await db.delete(jobLeases).where(and(eq(jobLeases.job, job.name), eq(jobLeases.runId, runId))).catch(() => {});
      throw err;
    }
    return startedAt;
  };

  const heldBy = async (platform: Platform, name: string) => {
    const [row] = await platform.db.select({ holder: jobLeases.holder }).from(jobLeases).where(eq(jobLeases.job, name));
    return row?.holder ?? null;
  };

  const renew = async (platform: Platform, job: JobDefinition, runId: string) => {
    const expiresAt = platform.clock.now().getTime() + (job.leaseMs ?? options.leaseMs ?? DEFAULT_LEASE_MS);
    const kept = await platform.db
      .update(jobLeases)
      .set({ expiresAt })
      .where(and(eq(jobLeases.job, job.name), eq(jobLeases.runId, runId)))
      .returning({ runId: jobLeases.runId });
    return kept.length > 0;
  };

  const finish = async (platform: Platform, name: string, runId: string, end: { outcome: 'ok' | 'failed'; items: number | null; error: string | null }) => {
    const { db } = platform;
    const finishedAt = platform.clock.now().toISOString();
    await db.batch([
      db.update(jobRuns).set({ finishedAt, ...end }).where(eq(jobRuns.id, runId)),
      db.delete(jobLeases).where(and(eq(jobLeases.job, name), eq(jobLeases.runId, runId))),
    ]);
    return finishedAt;
  };

  const registry: JobRegistry = {
    add(job) {
      if (jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
      jobs.set(job.name, job);
      answer = undefined;
    },
    list: () => [...jobs.values()],
    async run(name, trigger) {
      const job = jobs.get(name);
      if (!job) throw new Error(`no job named ${name}`);
      const platform = getPlatform();
      if (stopped) {
        platform.logger.info('job skipped: this process is stopping', { job: name, trigger });
        return { outcome: 'skipped', heldBy: holder ?? null };
      }
      holder ??= platform.ids.next();
      const runId = platform.ids.next();
      const startedAt = await acquire(platform, job, runId, trigger);
      if (!startedAt) {
        const by = await heldBy(platform, name).catch(() => null);
        platform.logger.info('job skipped: another run holds its lease', { job: name, trigger, heldBy: by });
        return { outcome: 'skipped', heldBy: by };
      }
      noteLocal(name, { id: runId, trigger, startedAt, finishedAt: null, outcome: 'running', items: null });

      const lost = new AbortController();
      const leaseMs = job.leaseMs ?? options.leaseMs ?? DEFAULT_LEASE_MS;
      const renewal = setInterval(() => {
        renew(platform, job, runId).then(
          (kept) => {
            if (!kept && !lost.signal.aborted) {
              platform.logger.error('job lost its lease', { job: name, runId });
              lost.abort(new Error(`job ${name} lost its lease`));
            }
          },
          (err) => platform.logger.warn('job lease renewal failed', { job: name, ...errorFields(err) }),
        );
      }, leaseMs / 3);

      const started = Date.now();
      let result: { outcome: 'ok' | 'failed'; items: number | null; error: string | null };
      let failure: unknown;
      // Through a promise, so a job that throws at once is a failed run like any other.
      const work = Promise.resolve().then(() => job.run({ platform, trigger, signal: lost.signal }));
      running.set(runId, { name, lost, done: work.catch(() => {}) });
      try {
        const items = await work;
        result = { outcome: 'ok', items: typeof items === 'number' ? items : null, error: null };
        platform.logger.info('job done', { job: name, trigger, items: result.items, ms: Date.now() - started });
      } catch (err) {
        failure = err;
        result = { outcome: 'failed', items: null, error: (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR) };
        // At start-up or on demand a failing job (say, the rate source is offline) is a warning:
        // not a failed start, and the next request or tick tries again.
        const quiet = trigger === 'startup' || trigger === 'demand';
        platform.logger[quiet ? 'warn' : 'error']('job failed', { job: name, trigger, ...errorFields(err, { stack: !quiet }) });
      } finally {
        clearInterval(renewal);
        running.delete(runId);
      }
      let finishedAt: string | null = null;
      try {
        finishedAt = await finish(platform, name, runId, result);
      } catch (err) {
        // The lease expires by itself; the next run marks this one abandoned.
        platform.logger.error('job run could not be recorded', { job: name, runId, ...errorFields(err) });
      }
      noteLocal(name, { id: runId, trigger, startedAt, finishedAt, outcome: result.outcome, items: result.items });
      if (failure !== undefined) throw failure;
      return { outcome: 'ok', runId, items: result.items };
    },
    async runCron(cron) {
      const due = [...jobs.values()].filter((j) => j.cron === cron);
      const results = await Promise.allSettled(due.map((j) => registry.run(j.name, 'cron')));
      const failed = results.filter((r) => r.status === 'rejected');
      if (failed.length) throw new AggregateError(failed.map((f) => (f as PromiseRejectedResult).reason), 'jobs failed');
    },
    async stop(graceMs) {
      stopped = true;
      if (running.size === 0) return;
      const platform = getPlatform();
      for (const run of running.values()) run.lost.abort(new Error('the host is stopping'));
      const done = Promise.all([...running.values()].map((r) => r.done));
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, graceMs))]);
      const left = [...running.entries()];
      if (left.length === 0) return;
      // Still running at the end of the grace: the process is about to go, the work with it.
      const { db } = platform;
      const finishedAt = platform.clock.now().toISOString();
      const statements = left.flatMap(([runId, run]) => [
        db
          .update(jobRuns)
          .set({ outcome: 'abandoned', finishedAt, error: 'its host stopped (lease given back)' })
          .where(and(eq(jobRuns.id, runId), eq(jobRuns.outcome, 'running'))),
        db.delete(jobLeases).where(and(eq(jobLeases.job, run.name), eq(jobLeases.runId, runId))),
      ]);
      try {
        await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
        platform.logger.warn('jobs still running at stop: leases given back', { jobs: left.map(([, r]) => r.name) });
      } catch (err) {
        // Out of reach: the leases expire by themselves.
        platform.logger.error('jobs still running at stop: leases could not be given back', { jobs: left.map(([, r]) => r.name), ...errorFields(err) });
      }
    },
    async status({ read = true } = {}) {
      const now = Date.now();
      if (read && (!fromTable || now - fromTable.at >= statusTtlMs)) {
        reading ??= readLatest(getPlatform(), [...jobs.keys()])
          .then((runs) => void (fromTable = { at: Date.now(), runs }))
          .catch(() => {
            // The database is out of reach (/health says so): show what this process knows.
            fromTable = { at: Date.now(), runs: fromTable?.runs ?? new Map() };
          })
          .then(() => void (answer = undefined))
          .finally(() => (reading = undefined));
        await reading;
      }
      return (answer ??= [...jobs.values()].map((job) => {
        const mine = local.get(job.name);
        const theirs = fromTable?.runs.get(job.name);
        // UUIDv7 ids sort by start: the later of the two is the latest run.
        const latest = !mine ? theirs : !theirs || mine.id >= theirs.id ? mine : theirs;
        if (!latest) return { name: job.name, cron: job.cron, lastRun: null };
        const { id: _id, ...lastRun } = latest;
        return { name: job.name, cron: job.cron, lastRun };
      }));
    },
  };
  return registry;
}

/** The latest run of each job: one indexed lookup per job, in one round trip. */
async function readLatest(platform: Platform, names: string[]) {
  const runs = new Map<string, LastRun & { id: string }>();
  if (names.length === 0) return runs;
  const { db } = platform;
  const columns = {
    id: jobRuns.id,
    job: jobRuns.job,
    trigger: jobRuns.trigger,
    startedAt: jobRuns.startedAt,
    finishedAt: jobRuns.finishedAt,
    outcome: jobRuns.outcome,
    items: jobRuns.items,
  };
  const query = (name: string) => db.select(columns).from(jobRuns).where(eq(jobRuns.job, name)).orderBy(desc(jobRuns.id)).limit(1);
  const [first, ...rest] = names.map(query);
  const results = await db.batch([first!, ...rest]);
  for (const [row] of results) if (row) runs.set(row.job, { id: row.id, trigger: row.trigger, startedAt: row.startedAt, finishedAt: row.finishedAt, outcome: row.outcome, items: row.items });
  return runs;
}
