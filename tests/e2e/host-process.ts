import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_HASH_COST } from '../support/hash-cost.ts';
import { startDenoHost, startNodeHost, type HostProcess } from '../support/node-host.ts';
import { startWorkerHost } from '../support/worker-host.ts';

export type HostName = 'node' | 'deno' | 'worker';

async function startProcess(hostName: HostName, given: Record<string, string>): Promise<{ host: HostProcess; dataDir?: string }> {
  // Cases about something else make many requests from one address: limits are for their own cases.
  const env = { RATE_LIMITS: 'off', ...TEST_HASH_COST, ...given };
  if (hostName === 'worker') {
    // The Worker has no DATA_DIR for a generated secret: it gets one, as from `wrangler secret put`.
    return { host: await startWorkerHost({ JWT_SECRET: randomBytes(32).toString('base64url'), LOG_LEVEL: 'info', NODE_ENV: 'development', ...env }) };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'expenseflow-e2e-'));
  const start = hostName === 'deno' ? startDenoHost : startNodeHost;
  try {
    const host = await start({ DATA_DIR: dataDir, DATABASE_URL: `file:${join(dataDir, 'expenseflow.db')}`, LOG_LEVEL: 'info', NODE_ENV: 'development', ...env });
    return { host, dataDir };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * The host as a new user starts it — `npm start`, `npm run start:deno`, or the Worker under
 * `wrangler dev` against a fresh sqld — with a fresh database; `logs` parses its JSON log lines.
 */
export async function startHost(hostName: HostName, given: Record<string, string> = {}) {
  const { host, dataDir } = await startProcess(hostName, given);
  return {
    baseUrl: host.baseUrl,
    /** The host's process group (npm and the server, or wrangler and workerd). */
    pid: host.pid,
    logs: () =>
      host
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          // wrangler prints the Worker's lines among its own: skip anything that is not a log line.
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    async stop() {
      await host.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
