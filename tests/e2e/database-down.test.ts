import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../core/db/client.ts';
import { migrateDatabase } from '../../core/db/migrate.ts';
import { startSqld, type Sqld } from '../../scripts/sqld.ts';
import { httpClient } from '../support/api-client.ts';
import { freePort } from '../support/net.ts';
import { UNREACHABLE_URL } from '../support/rates-server.ts';
import { hostName, startServer } from './server.ts';

/** Every host can use a libSQL server (sqld here, Turso in production) that may go away. */
describe(`the ${hostName} host when its libSQL server goes away`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-db-down-'));
  let port: number;
  let sqld: Sqld;
  let server: Awaited<ReturnType<typeof startServer>>;
  let token: string;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await httpClient(server.baseUrl).call(method, path, { token, body });
    return { ...res, retryAfter: res.headers.get('retry-after') };
  };

  beforeAll(async () => {
    port = await freePort();
    sqld = await startSqld(join(dir, 'db'), port);
    const { db, client } = createDatabase(sqld.url);
    await migrateDatabase(db);
    client.close();
    server = await startServer({ DATABASE_URL: sqld.url, EXCHANGE_RATES_URL: UNREACHABLE_URL, EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL });
    ({ token } = await httpClient(server.baseUrl).register());
  });
  afterAll(async () => {
    await server?.stop();
    await sqld?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After, says so on /health, and serves again once it is back', async () => {
    await sqld.stop();
    for (const res of [await call('GET', '/api/expenses'), await call('POST', '/api/expenses', { description: 'x', amount: 1, category: 'food' })]) {
      expect(res).toMatchObject({ status: 503, body: { success: false, code: 'DATABASE_UNAVAILABLE' } });
      expect(Number(res.retryAfter)).toBeGreaterThan(0);
    }
    expect(await call('GET', '/health')).toMatchObject({ status: 503, body: { status: 'degraded', database: 'unreachable', cause: 'DATABASE_UNAVAILABLE' } });

    sqld = await startSqld(join(dir, 'db'), port);
    expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await call('POST', '/api/expenses', { description: 'back', amount: 1, category: 'food' })).status).toBe(201);
    expect((await call('GET', '/api/expenses')).status).toBe(200);
  });
});
