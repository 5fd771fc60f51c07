import { createClient } from '@libsql/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSqld, type Sqld } from '../../scripts/sqld.ts';
import { createTestApp } from '../../tests/support/app.ts';
import { freePort } from '../../tests/support/net.ts';
import { createLogger } from '../logger.ts';
import { createFaultMonitor } from './fault-monitor.ts';

const lunch = { description: 'Lunch', amount: 12.5, category: 'food' };

describe('a database locked by another writer', async () => {
  const { api, platform } = await createTestApp();
  const { token } = await api.register();

  it('answers writes 503 DATABASE_BUSY with Retry-After, reads go on, and recovers', async () => {
    const other = createClient({ url: platform.config.DATABASE_URL });
    await other.execute('PRAGMA journal_mode = WAL'); // as the embedded hosts run it
    const tx = await other.transaction('write'); // holds the write lock
    try {
      const res = await api.post('/api/expenses', lunch, token);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ success: false, code: 'DATABASE_BUSY' });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/SQLITE|insert into/i);
      expect((await api.get('/api/expenses', token)).status).toBe(200);
      expect(await api.get('/health')).toMatchObject({ status: 503, body: { status: 'degraded', database: 'ok', cause: 'DATABASE_BUSY' } });
    } finally {
      await tx.rollback();
      other.close();
    }
    expect((await api.post('/api/expenses', lunch, token)).status).toBe(201);
    expect(await api.get('/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await api.get('/api/expenses', token)).body).toHaveLength(1);
  });
});

describe('a libSQL server that goes away', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-sqld-down-'));
  let port: number;
  let sqld: Sqld;
  let api: Awaited<ReturnType<typeof createTestApp>>['api'];
  let token: string;
  // Started in beforeAll, not while collecting: a run filtered with -t must not leave a sqld behind.
  beforeAll(async () => {
    port = await freePort();
    sqld = await startSqld(join(dir, 'db'), port);
    ({ api } = await createTestApp({ env: { DATABASE_URL: sqld.url } }));
    ({ token } = await api.register());
  });
  afterAll(async () => {
    await sqld?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 DATABASE_UNAVAILABLE while it is down, and serves again once it is back', async () => {
    await sqld.stop();
    for (const res of [await api.get('/api/expenses', token), await api.post('/api/expenses', lunch, token)]) {
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ success: false, code: 'DATABASE_UNAVAILABLE' });
      expect(res.headers.get('retry-after')).toBeTruthy();
    }
    expect(await api.get('/health')).toMatchObject({
      status: 503,
      body: { status: 'degraded', database: 'unreachable', cause: 'DATABASE_UNAVAILABLE' },
    });
    sqld = await startSqld(join(dir, 'db'), port);
    expect(await api.get('/health')).toMatchObject({ status: 200, body: { status: 'ok', database: 'ok' } });
    expect((await api.post('/api/expenses', lunch, token)).status).toBe(201);
  });
});

describe('the fault monitor', () => {
  it('logs one line per burst and one when it is over', () => {
    const lines: Record<string, unknown>[] = [];
    let now = 0;
    const monitor = createFaultMonitor(createLogger('info', (l) => lines.push(JSON.parse(l))), () => now);
    for (let i = 0; i < 100; i++, now += 100) monitor.seen('STORAGE_FULL', new Error('database or disk is full'));
    expect(monitor.current()).toBe('STORAGE_FULL');
    monitor.recovered();
    expect(monitor.current()).toBeNull();
    expect(lines.map((l) => [l.msg, l.fault, l.failures])).toEqual([
      ['database fault', 'STORAGE_FULL', undefined],
      ['database fault over', 'STORAGE_FULL', 100],
    ]);
  });

  it('forgets a fault not seen for 30 s', () => {
    let now = 0;
    const monitor = createFaultMonitor(createLogger('silent'), () => now);
    monitor.seen('DATABASE_BUSY', new Error('busy'));
    now += 30_001;
    expect(monitor.current()).toBeNull();
  });
});
