/**
 * The job dispatcher inside workerd against sqld: two dispatchers (two isolates, or a Worker and
 * a Node process, on one database) run a job once; a lease left by a holder that died expires.
 * Job names are unique per test: the sqld is shared with the other workerd files.
 */
import { env } from 'cloudflare:workers';
import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { createRemoteDatabase } from '../../core/db/remote.ts';
import { fetchHttpText } from '../../core/http/fetch-text.ts';
import { jobLeases, jobRuns } from '../../core/jobs/tables.ts';
import { createLogger } from '../../core/logger.ts';
import { createPlatform } from '../../core/platform.ts';

const bindings = env as unknown as Record<string, unknown>;

function dispatcher() {
  const config = loadConfig({ ...bindings, LOG_LEVEL: 'silent' });
  const { db } = createRemoteDatabase(config.DATABASE_URL);
  return createPlatform({ config, db, logger: createLogger('silent'), fetchText: fetchHttpText });
}

const name = (what: string) => `test.${what}-${crypto.randomUUID().slice(0, 8)}`;

describe('the job dispatcher on workerd', () => {
  it('runs a job once when two dispatchers fire it together; the run is recorded with its items', async () => {
    const [a, b] = [dispatcher(), dispatcher()];
    const job = name('once');
    let runs = 0;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const definition = {
      name: job,
      cron: '* * * * *',
      run: async () => {
        runs++;
        started();
        await released;
        return 3;
      },
    };
    a.jobs.add(definition);
    b.jobs.add(definition);
    const first = a.jobs.run(job, 'cron');
    await running;
    expect(await b.jobs.run(job, 'cron')).toMatchObject({ outcome: 'skipped' });
    release();
    expect(await first).toMatchObject({ outcome: 'ok', items: 3 });
    expect(runs).toBe(1);
    expect(await a.db.select().from(jobRuns).where(eq(jobRuns.job, job))).toEqual([
      expect.objectContaining({ trigger: 'cron', outcome: 'ok', items: 3, error: null, finishedAt: expect.any(String) }),
    ]);
    expect(await a.db.select().from(jobLeases).where(eq(jobLeases.job, job))).toEqual([]);
  });

  it('skips while a dead holder’s lease lasts, then runs and marks the dead run abandoned', async () => {
    const p = dispatcher();
    const job = name('orphan');
    let runs = 0;
    p.jobs.add({ name: job, cron: '* * * * *', run: async () => void runs++ });
    const deadRun = crypto.randomUUID();
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    await p.db.batch([
      p.db.insert(jobRuns).values({ id: `0-${deadRun}`, job, trigger: 'cron', holder: 'dead', startedAt, outcome: 'running' }),
      p.db.insert(jobLeases).values({ job, holder: 'dead', runId: `0-${deadRun}`, expiresAt: Date.now() + 60_000 }),
    ]);
    expect(await p.jobs.run(job, 'cron')).toEqual({ outcome: 'skipped', heldBy: 'dead' });
    expect(runs).toBe(0);

    await p.db.update(jobLeases).set({ expiresAt: Date.now() - 1 }).where(and(eq(jobLeases.job, job), eq(jobLeases.holder, 'dead')));
    expect(await p.jobs.run(job, 'cron')).toMatchObject({ outcome: 'ok' });
    expect(runs).toBe(1);
    const rows = await p.db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(asc(jobRuns.id));
    expect(rows.map((r) => [r.holder === 'dead', r.outcome])).toEqual([
      [true, 'abandoned'],
      [false, 'ok'],
    ]);
  });

  it('records a failure with its message', async () => {
    const p = dispatcher();
    const job = name('failing');
    p.jobs.add({ name: job, cron: '* * * * *', run: async () => Promise.reject(new Error('Postmark answered 500')) });
    await expect(p.jobs.run(job, 'manual')).rejects.toThrow('Postmark answered 500');
    expect(await p.db.select().from(jobRuns).where(eq(jobRuns.job, job))).toEqual([
      expect.objectContaining({ trigger: 'manual', outcome: 'failed', error: 'Postmark answered 500' }),
    ]);
  });
});
