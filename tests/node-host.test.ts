/**
 * The Node host's own HTTP behaviour, against the real `node hosts/node.ts` process: timeouts
 * that close idle and trickling connections, and a full disk answered 503 until space returns.
 * (A stop signal is in the conformance suite, tests/e2e/stop.test.ts, for Node and Deno.)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient } from './support/api-client.ts';
import { startNodeHost, type NodeHost } from './support/node-host.ts';
import { openRaw } from './support/raw-http.ts';
import { UNREACHABLE_URL } from './support/rates-server.ts';

function dataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-node-host-'));
  return {
    dir,
    env: {
      DATA_DIR: dir,
      DATABASE_URL: `file:${join(dir, 'expenseflow.db')}`,
      LOG_LEVEL: 'warn',
      EXCHANGE_RATES_URL: UNREACHABLE_URL,
      EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL,
    },
  };
}

describe('connection timeouts', () => {
  const { dir, env } = dataDir();
  let host: NodeHost;
  // Short timeouts: with Node's defaults none of these sockets would close within the test's time.
  beforeAll(async () => {
    host = await startNodeHost({ ...env, HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000', KEEP_ALIVE_TIMEOUT_MS: '500' }, 'node');
  });
  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('closes a connection that never sends a request', async () => {
    const idle = await Promise.all(Array.from({ length: 20 }, () => openRaw(host.baseUrl)));
    await Promise.all(idle.map((c) => c.closed));
    expect(idle.every((c) => c.socket.destroyed)).toBe(true);
  });

  it('closes an idle keep-alive connection after its last answer', async () => {
    const c = await openRaw(host.baseUrl);
    await c.write('GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n');
    expect(await c.waitFor(/\r\n\r\n\{.*\}$/s)).toMatch(/^HTTP\/1\.1 200/);
    await c.closed;
    expect(c.received()).toMatch(/keep-alive/i);
  });
});

/** Mounts a small tmpfs (root only): a disk that really fills up. Null where mounting is not allowed. */
function smallDisk(): { dir: string; unmount(): void } | null {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-small-disk-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]).status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    unmount() {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a file until the disk is full. */
function fillDisk(file: string) {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

const probe = smallDisk();
probe?.unmount();

describe('a full disk', () => {
  it.skipIf(!probe)('answers writes 503 STORAGE_FULL, keeps serving reads, and recovers when space returns', async () => {
    const disk = smallDisk()!;
    const host = await startNodeHost(
      {
        DATA_DIR: disk.dir,
        DATABASE_URL: `file:${join(disk.dir, 'expenseflow.db')}`,
        LOG_LEVEL: 'warn',
        EXCHANGE_RATES_URL: UNREACHABLE_URL,
        EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL,
      },
      'node',
    );
    try {
      const api = httpClient(host.baseUrl);
      const { token } = await api.register();
      const call = (method: string, path: string, body?: unknown) => api.call(method, path, { token, body });
      const expense = (i: number) => ({ description: `row ${i}`, amount: 1, category: 'food', notes: 'n'.repeat(2000) });

      fillDisk(join(disk.dir, 'filler'));
      const statuses: number[] = [];
      let full: Awaited<ReturnType<typeof call>> | undefined;
      // The WAL may still have room for a few rows: write until the disk says no.
      for (let i = 0; i < 2000 && !full; i++) {
        const res = await call('POST', '/api/expenses', expense(i));
        statuses.push(res.status);
        if (res.status !== 201) full = res;
      }
      expect(full?.status).toBe(503);
      expect(full?.body).toMatchObject({ success: false, code: 'STORAGE_FULL' });
      expect(Number(full?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await call('POST', '/api/expenses', expense(-1))).body.code).toBe('STORAGE_FULL');

      // Reads go on, and hold exactly the rows that were acknowledged.
      const list = await call('GET', '/api/expenses?limit=200');
      expect(list.status).toBe(200);
      expect(list.body.length).toBe(Math.min(200, statuses.filter((s) => s === 201).length));
      expect((await call('GET', '/health')).body).toMatchObject({ status: 'degraded', cause: 'STORAGE_FULL' });

      rmSync(join(disk.dir, 'filler'));
      expect((await call('POST', '/api/expenses', expense(9999))).status).toBe(201);
      expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(host.output().match(/"msg":"database fault"/g)).toHaveLength(1);
    } finally {
      await host.stop();
      disk.unmount();
    }
  });
});
