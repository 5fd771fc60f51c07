import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeHost } from '../support/node-host.ts';

/** The real `npm start` in a fresh data directory, as a new user would run it; `logs` parses its JSON lines. */
export async function startServer(env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'expenseflow-e2e-'));
  const host = await startNodeHost({
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${join(dataDir, 'expenseflow.db')}`,
    LOG_LEVEL: 'info',
    NODE_ENV: 'development',
    ...env,
  });
  return {
    baseUrl: host.baseUrl,
    logs: () =>
      host
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async stop() {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
