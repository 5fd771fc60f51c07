import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNodeHost, type NodeHost } from './support/node-host.ts';
import { TEST_SECRET } from './support/app.ts';
import { UNREACHABLE_URL } from './support/rates-server.ts';

const CREATES = 1000;
const SOCKETS = 50;
// The kill is triggered by progress, never by a timer: on a loaded machine the run is only slower.
const KILL_AFTER_ACKS = 300;

describe('the Node host killed with SIGKILL in the middle of concurrent writes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'expenseflow-durability-'));
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${join(dataDir, 'expenseflow.db')}`,
    JWT_SECRET: TEST_SECRET,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    EXCHANGE_RATES_URL: UNREACHABLE_URL,
    EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL,
  };
  let server: NodeHost | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged expense, each exactly once, after a restart', { timeout: 180_000 }, async () => {
    // 'node', not 'npm start': the kill must hit the server process itself.
    server = await startNodeHost(env, 'node');
    const reg = await fetch(`${server.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Durable', email: 'durable@example.com', password: 'password123' }),
    });
    expect(reg.status).toBe(201);
    const { token } = (await reg.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const acknowledged = new Map<string, string>(); // id → description
    let next = 0;
    let killed = false;
    const running = server;
    const worker = async () => {
      while (next < CREATES) {
        const description = `durable-${next++}`;
        try {
          const res = await fetch(`${running.baseUrl}/api/expenses`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ description, amount: 1.5, currency: 'USD', category: 'food', date: '2025-05-01' }),
          });
          if (res.status !== 201) continue; // not acknowledged: the server is going down
          const body = (await res.json()) as { _id: string; description: string };
          acknowledged.set(body._id, body.description);
        } catch {
          continue; // connection reset or refused after the kill: not acknowledged either
        }
        if (!killed && acknowledged.size >= KILL_AFTER_ACKS) {
          killed = true;
          process.kill(running.pid, 'SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: SOCKETS }, worker));
    expect(killed).toBe(true);
    while (!running.exited()) await new Promise((r) => setTimeout(r, 20));
    expect(running.exited()).toMatchObject({ signal: 'SIGKILL' });

    // Restart on the same data directory: SQLite recovers from the WAL on open.
    server = await startNodeHost(env, 'node');
    const stored: { _id: string; description: string }[] = [];
    for (let url: string | null = `${server.baseUrl}/api/expenses?limit=200`; url; ) {
      const res: Response = await fetch(url, { headers });
      expect(res.status).toBe(200);
      stored.push(...((await res.json()) as typeof stored));
      url = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] ?? null;
      if (url && url.startsWith('/')) url = server.baseUrl + url;
    }

    const byId = new Map(stored.map((e) => [e._id, e.description]));
    expect(byId.size).toBe(stored.length); // no id twice
    expect(new Set(stored.map((e) => e.description)).size).toBe(stored.length); // no create applied twice
    const lost = [...acknowledged].filter(([id, description]) => byId.get(id) !== description);
    expect(lost).toEqual([]);
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged.size);
    expect(stored.length).toBeLessThanOrEqual(CREATES);
  });
});
