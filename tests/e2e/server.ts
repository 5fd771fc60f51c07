import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { httpClient } from '../support/api-client.ts';
import { TEST_HASH_COST } from '../support/hash-cost.ts';
import { startDenoHost, startNodeHost, type HostProcess } from '../support/node-host.ts';
import { startWorkerHost } from '../support/worker-host.ts';

export type HostName = 'node' | 'deno' | 'worker';

/** The host this run of the suite tests: each e2e-* project of vitest.config.ts names one. */
export const hostName: HostName = inject('host');

/**
 * How a user starts the embedded hosts, for cases about the start itself. The Worker has no
 * such command of its own (wrangler starts it; a wrong setting shows at its first request).
 */
export const startCommand: string[] | null = { node: ['npm', 'start', '--silent'], deno: ['npm', 'run', 'start:deno', '--silent'], worker: null }[
  hostName
];

async function startHost(given: Record<string, string>): Promise<{ host: HostProcess; cleanUp(): void }> {
  // Cases about something else make many requests from one address: limits are for their own cases.
  const env = { RATE_LIMITS: 'off', ...TEST_HASH_COST, ...given };
  if (hostName === 'worker') {
    // The Worker has no DATA_DIR for a generated secret: it gets one, as from `wrangler secret put`.
    const host = await startWorkerHost({ JWT_SECRET: randomBytes(32).toString('base64url'), LOG_LEVEL: 'info', NODE_ENV: 'development', ...env });
    return { host, cleanUp: () => {} };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'expenseflow-e2e-'));
  const start = hostName === 'deno' ? startDenoHost : startNodeHost;
  const host = await start({
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${join(dataDir, 'expenseflow.db')}`,
    LOG_LEVEL: 'info',
    NODE_ENV: 'development',
    ...env,
  }).catch((err) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  return { host, cleanUp: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * The host under test as a new user would start it — `npm start`, `npm run start:deno`, or
 * the Worker under `wrangler dev` against a fresh sqld — with a fresh database; `logs`
 * parses its JSON log lines.
 */
export async function startServer(env: Record<string, string> = {}) {
  const { host, cleanUp } = await startHost(env);
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
      cleanUp();
    },
  };
}

/**
 * The host for the cases of one describe block: started before them, stopped after them. Its
 * `api` is a client on it, for use in the cases.
 */
export function useServer(env: Record<string, string> = {}) {
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  beforeAll(async () => {
    server = await startServer(env);
  });
  afterAll(() => server?.stop());
  return {
    api: httpClient(() => {
      if (!server) throw new Error('the host has not started: use the client inside a case');
      return server.baseUrl;
    }),
  };
}
