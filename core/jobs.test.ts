import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { createDatabase } from './db/client.ts';
import { migrateDatabase } from './db/migrate.ts';
import { fetchHttpText } from './http/fetch-text.ts';
import { jobLeases, jobRuns } from './jobs/tables.ts';
import { createLogger } from './logger.ts';
import { createPlatform, type Clock } from './platform.ts';

const root = new URL('..', import.meta.url).pathname;

/** One database file, and a way to open it as many times as there are processes. */
async function databaseFile() {
  const file = join(mkdtempSync(join(tmpdir(), 'expenseflow-jobs-')), 'jobs.db');
  const { db, client } = createDatabase(`file:${file}`);
  await client.execute('PRAGMA journal_mode = WAL');
  await migrateDatabase(db);
  client.close();
  return file;
}

/** A dispatcher over its own connection to `file`: what one process has. */
async function dispatcher(file: string, clock?: Clock) {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent', DATABASE_URL: `file:${file}` });
  const { db, client } = createDatabase(config.DATABASE_URL);
  await client.execute('PRAGMA busy_timeout = 5000');
  return createPlatform({ config, db, logger: createLogger('silent'), fetchText: fetchHttpText, ...(clock && { clock }) });
}

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe('the job dispatcher', () => {
  it('runs a job once when two processes on one database fire it together; the other skips', async () => {
    const file = await databaseFile();
    const [a, b] = [await dispatcher(file), await dispatcher(file)];
    let runs = 0;
    const started = gate();
    const release = gate();
    const job = {
      name: 'test.once',
      cron: '* * * * *',
      run: async () => {
        runs++;
        started.open();
        await release.opened;
        return 7;
      },
    };
    a.jobs.add(job);
    b.jobs.add(job);

    const first = a.jobs.run('test.once', 'cron');
    await started.opened;
    expect(await b.jobs.run('test.once', 'cron')).toEqual({ outcome: 'skipped', heldBy: expect.any(String) });
    // An overlapping tick of the same process skips as well.
    expect(await a.jobs.run('test.once', 'cron')).toMatchObject({ outcome: 'skipped' });
    release.open();
    expect(await first).toEqual({ outcome: 'ok', runId: expect.any(String), items: 7 });
    expect(runs).toBe(1);

    const rows = await a.db.select().from(jobRuns);
    expect(rows).toEqual([expect.objectContaining({ job: 'test.once', trigger: 'cron', outcome: 'ok', items: 7, error: null, finishedAt: expect.any(String) })]);
    expect(await a.db.select().from(jobLeases)).toEqual([]); // released

    // Once it is over, the next tick of either process runs it.
    expect(await b.jobs.run('test.once', 'cron')).toMatchObject({ outcome: 'ok' });
    expect(runs).toBe(2);
  });

  it('records a failed run with its error and rethrows; the lease is free for the next run', async () => {
    const file = await databaseFile();
    const p = await dispatcher(file);
    let fail = true;
    p.jobs.add({
      name: 'test.flaky',
      cron: '* * * * *',
      run: async () => {
        if (fail) throw new Error('the source answered 502');
      },
    });
    await expect(p.jobs.run('test.flaky', 'manual')).rejects.toThrow('the source answered 502');
    fail = false;
    expect(await p.jobs.run('test.flaky', 'cron')).toMatchObject({ outcome: 'ok', items: null });
    const rows = await p.db.select().from(jobRuns).orderBy(asc(jobRuns.id));
    expect(rows.map((r) => [r.trigger, r.outcome, r.error])).toEqual([
      ['manual', 'failed', 'the source answered 502'],
      ['cron', 'ok', null],
    ]);
    for (const r of rows) expect(Date.parse(r.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(r.startedAt));
  });

  it('takes over the lease of a holder that died once it expires, and marks its run abandoned', async () => {
    const file = await databaseFile();
    const LEASE_MS = 1500;
    const child = spawn(join(root, 'node_modules/.bin/node'), [join(root, 'tests/support/job-holder.ts'), file, String(LEASE_MS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('running') && resolve());
      child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    // The holder renews its lease every LEASE_MS / 3: alive, it keeps the job.
    const p = await dispatcher(file);
    let runs = 0;
    p.jobs.add({ name: 'test.hold', cron: '* * * * *', run: async () => void runs++ });
    await new Promise((r) => setTimeout(r, LEASE_MS));
    expect(await p.jobs.run('test.hold', 'cron')).toMatchObject({ outcome: 'skipped' });

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const [lease] = await p.db.select().from(jobLeases).where(eq(jobLeases.job, 'test.hold'));
    // Until its lease runs out the job stays the dead holder's; then the next tick runs it.
    let result = await p.jobs.run('test.hold', 'cron');
    if (Date.now() < lease!.expiresAt - 50) expect(result).toMatchObject({ outcome: 'skipped' });
    while (result.outcome === 'skipped' && Date.now() < lease!.expiresAt + 5000) {
      await new Promise((r) => setTimeout(r, 100));
      result = await p.jobs.run('test.hold', 'cron');
    }
    expect(result).toMatchObject({ outcome: 'ok' });
    expect(runs).toBe(1);
    const rows = await p.db.select().from(jobRuns).orderBy(asc(jobRuns.id));
    expect(rows.map((r) => [r.outcome, r.error])).toEqual([
      ['abandoned', 'its holder stopped renewing the lease'],
      ['ok', null],
    ]);
  });

  it('renews the lease of a long run, and a run that lost it is told through its signal', async () => {
    // A's clock stands still; B's moves on when told: as if A could not reach the database for a while.
    const start = Date.parse('2026-01-01T00:00:00Z');
    let later = 0;
    const file = await databaseFile();
    const [a, b] = [await dispatcher(file, { now: () => new Date(start) }), await dispatcher(file, { now: () => new Date(start + later) })];
    const release = gate();
    let aborted: unknown;
    const job = {
      name: 'test.long',
      cron: '* * * * *',
      leaseMs: 300,
      run: async ({ signal }: { signal: AbortSignal }) => {
        signal.addEventListener('abort', () => (aborted = signal.reason));
        await release.opened;
      },
    };
    a.jobs.add(job);
    b.jobs.add(job);
    const first = a.jobs.run('test.long', 'cron');
    await new Promise((r) => setTimeout(r, 350)); // renewed at least twice, by the clock it is still 0 ms later
    expect(await b.jobs.run('test.long', 'cron')).toMatchObject({ outcome: 'skipped' });
    // Past A's lease (renewed to start + 300 ms at most), B takes over; A's next renewal notices.
    later = 1000;
    const second = b.jobs.run('test.long', 'cron');
    await new Promise((r) => setTimeout(r, 250));
    expect(aborted).toBeInstanceOf(Error);
    release.open();
    expect(await first).toMatchObject({ outcome: 'ok' });
    expect(await second).toMatchObject({ outcome: 'ok' });
  });

  it('gives the lease back on a graceful stop: a job that stops at its signal ends ok, one that does not is abandoned, and another process runs both at once', async () => {
    const file = await databaseFile();
    const [a, b] = [await dispatcher(file), await dispatcher(file)];
    const started = { polite: gate(), stubborn: gate() };
    const never = new Promise<void>(() => {});
    const polite = {
      name: 'test.polite',
      cron: '* * * * *',
      run: async ({ signal }: { signal: AbortSignal }) => {
        started.polite.open();
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        return 3;
      },
    };
    const stubborn = {
      name: 'test.stubborn',
      cron: '* * * * *',
      run: async () => {
        started.stubborn.open();
        await never;
      },
    };
    for (const p of [a, b]) {
      p.jobs.add(polite);
      p.jobs.add(stubborn);
    }
    const politeRun = a.jobs.run('test.polite', 'cron');
    void a.jobs.run('test.stubborn', 'cron');
    await Promise.all([started.polite.opened, started.stubborn.opened]);
    expect(await b.jobs.run('test.polite', 'cron')).toMatchObject({ outcome: 'skipped' });

    await a.jobs.stop(200);
    expect(await politeRun).toMatchObject({ outcome: 'ok', items: 3 });
    expect(await a.jobs.run('test.polite', 'manual')).toMatchObject({ outcome: 'skipped' }); // stopping: no new run
    const runs = await a.db.select().from(jobRuns).orderBy(asc(jobRuns.id));
    expect(runs.map((r) => [r.job, r.outcome])).toEqual([
      ['test.polite', 'ok'],
      ['test.stubborn', 'abandoned'],
    ]);
    expect(runs[1]!.error).toMatch(/host stopped/);
    expect(await a.db.select().from(jobLeases)).toEqual([]);
    // Long before the 5-minute lease would expire, the other process runs the job (this time it ends).
    stubborn.run = async () => {};
    expect(await b.jobs.run('test.stubborn', 'cron')).toMatchObject({ outcome: 'ok' });
  });
});
