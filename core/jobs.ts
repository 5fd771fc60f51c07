import type { Platform } from './platform.ts';
import { errorFields } from './logger.ts';

/** `demand`: started by a request that found the job's data missing (say, no rates on a fresh deployment). */
export type JobTrigger = 'cron' | 'startup' | 'manual' | 'demand';

export interface JobDefinition {
  /** `plugin.job`, unique across the app. */
  name: string;
  /** Five-field cron string; the Workers host needs the same string in wrangler.toml. */
  cron: string;
  /** Also run once when an embedded host (Node, Deno) starts (the job decides whether there is work). */
  runOnStart?: boolean;
  run(ctx: { platform: Platform; trigger: JobTrigger }): Promise<void>;
}

export interface JobRegistry {
  add(job: JobDefinition): void;
  list(): readonly JobDefinition[];
  /** Runs one job by name; failures are logged and rethrown to the caller. */
  run(name: string, trigger: JobTrigger): Promise<void>;
  /** Runs every job scheduled on `cron` (the Workers `scheduled()` event names the cron). */
  runCron(cron: string): Promise<void>;
}

export function createJobRegistry(getPlatform: () => Platform): JobRegistry {
  const jobs = new Map<string, JobDefinition>();
  const registry: JobRegistry = {
    add(job) {
      if (jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
      jobs.set(job.name, job);
    },
    list: () => [...jobs.values()],
    async run(name, trigger) {
      const job = jobs.get(name);
      if (!job) throw new Error(`no job named ${name}`);
      const platform = getPlatform();
      const started = Date.now();
      try {
        await job.run({ platform, trigger });
        platform.logger.info('job done', { job: name, trigger, ms: Date.now() - started });
      } catch (err) {
        // At start-up or on demand a failing job (say, the rate source is offline) is a warning:
        // not a failed start, and the next request or tick tries again.
        const quiet = trigger === 'startup' || trigger === 'demand';
        platform.logger[quiet ? 'warn' : 'error']('job failed', { job: name, trigger, ...errorFields(err, { stack: !quiet }) });
        throw err;
      }
    },
    async runCron(cron) {
      const due = [...jobs.values()].filter((j) => j.cron === cron);
      const results = await Promise.allSettled(due.map((j) => registry.run(j.name, 'cron')));
      const failed = results.filter((r) => r.status === 'rejected');
      if (failed.length) throw new AggregateError(failed.map((f) => (f as PromiseRejectedResult).reason), 'jobs failed');
    },
  };
  return registry;
}
