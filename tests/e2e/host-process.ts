import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_HASH_COST } from '../support/hash-cost.ts';
import { startDenoHost, startNodeHost } from '../support/node-host.ts';
import { startWorkerHost } from '../support/worker-host.ts';

export type HostName = 'node' | 'deno' | 'worker';

/**
 * The host as a new user starts it — `npm start`, `npm run start:deno`, or the Worker under
 * `wrangler dev` against a fresh sqld — with a fresh database; `logs` parses its JSON log lines.
 */
export async function startHost(hostName: HostName, given: Record<string, string> = {}) {
  // Cases about something else make many requests from one address: limits are for their own cases.
  const env = { RATE_LIMITS: 'off', ...TEST_HASH_COST, ...given };
  let dataDir: string | undefined;
  const host =
    hostName === 'worker'
      ? // The Worker has no DATA_DIR for a generated secret: it gets one, as from `wrangler secret put`.
        await startWorkerHost({ JWT_SECRET: randomBytes(32).toString('base64url'), LOG_LEVEL: 'info', NODE_ENV: 'development', ...env })
      : await (hostName === 'deno' ? startDenoHost : startNodeHost)({
          DATA_DIR: (dataDir = mkdtempSync(join(tmpdir(), 'expenseflow-e2e-'))),
          DATABASE_URL: `file:${join(dataDir, 'expenseflow.db')}`,
          LOG_LEVEL: 'info',
          NODE_ENV: 'development',
          ...env,
        }).catch((err) => {
          rmSync(dataDir!, { recursive: true, force: true });
          throw err;
        });
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
