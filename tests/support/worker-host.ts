import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../core/db/client.ts';
import { migrateDatabase } from '../../core/db/migrate.ts';
import { startSqld, type Sqld } from '../../scripts/sqld.ts';
import { freePort } from './net.ts';
import { root, startHostProcess, type HostProcess } from './node-host.ts';

/** A fresh sqld in `dir`, on a free port; only a port taken between probe and bind is retried. */
async function freshSqld(dir: string): Promise<Sqld> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startSqld(join(dir, String(attempt)), await freePort());
    } catch (err) {
      if (attempt === 2 || !/address already in use/i.test(String(err))) throw err;
    }
  }
}

/**
 * The Worker as `npm run dev:edge` runs it: `wrangler dev` (under the project's Node 22)
 * against a fresh, migrated sqld (unless `env` names another DATABASE_URL), on a free loopback
 * port. `env` reaches the Worker as vars.
 */
export async function startWorkerHost(env: Record<string, string>): Promise<HostProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-worker-'));
  let sqld: Sqld | undefined;
  try {
    sqld = await freshSqld(join(dir, 'sqld'));
    const { db, client } = createDatabase(sqld.url);
    try {
      await migrateDatabase(db);
    } finally {
      client.close();
    }
    const [port, inspectorPort] = [await freePort(), await freePort()];
    const vars = Object.entries({ DATABASE_URL: sqld.url, ...env }).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
    const wrangler = await startHostProcess(
      join(root, 'node_modules/.bin/node'),
      [
        'node_modules/.bin/wrangler',
        'dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--inspector-port',
        String(inspectorPort),
        '--persist-to',
        join(dir, 'state'),
        '--show-interactive-dev-session=false',
        ...vars,
      ],
      // No network here: wrangler would otherwise fetch Request.cf data at start.
      { CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      // wrangler bundles the Worker and starts workerd: slower than the embedded hosts.
      { baseUrl: `http://127.0.0.1:${port}`, startTimeoutMs: 90_000 },
    );
    const server = sqld;
    return {
      ...wrangler,
      async stop() {
        await wrangler.stop();
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await sqld?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
