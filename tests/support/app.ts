import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../core/app.ts';
import type { SetHeaders } from '../../core/http/headers.ts';
import { loadConfig } from '../../core/config.ts';
import { createDatabase } from '../../core/db/client.ts';
import { migrateDatabase } from '../../core/db/migrate.ts';
import { fetchHttpText } from '../../core/http/fetch-text.ts';
import { createLogger } from '../../core/logger.ts';
import type { DispatcherOptions } from '../../core/jobs.ts';
import { createPlatform, type Clock } from '../../core/platform.ts';
import type { PluginDefinition } from '../../core/plugin.ts';
import { readDocsScript } from '../../hosts/docs-script-file.ts';
import { plugins } from '../../plugins/index.ts';
import { apiClient } from './api-client.ts';
import { UNREACHABLE_URL } from './rates-server.ts';

export { apiClient, type ApiResponse } from './api-client.ts';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long';

export interface TestAppOptions {
  /** Rate source URLs; default: unreachable (no rates until a test loads some). */
  rates?: { dailyUrl: string; historyUrl: string };
  env?: Record<string, string>;
  clock?: Clock;
  /** Added after the manifest's plugins, e.g. a plugin whose route throws. */
  extraPlugins?: PluginDefinition[];
  /** The host's way to set an answer's headers (default: `c.header`). */
  setHeaders?: SetHeaders;
  /** The job dispatcher's options (say, a short status cache). */
  dispatcher?: DispatcherOptions;
  /** Open this database file instead of a fresh one (a second process on the same database). */
  databaseFile?: string;
}

/** The whole app over a fresh libSQL file, with real ports: what `npm start` builds, minus the socket. */
export async function createTestApp(options: TestAppOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    DATABASE_URL: `file:${options.databaseFile ?? join(dir, 'test.db')}`,
    EXCHANGE_RATES_URL: options.rates?.dailyUrl ?? UNREACHABLE_URL,
    EXCHANGE_RATES_HISTORY_URL: options.rates?.historyUrl ?? UNREACHABLE_URL,
    ...options.env,
  });
  const { db, client } = createDatabase(config.DATABASE_URL);
  await migrateDatabase(db);
  const platform = createPlatform({
    config,
    db,
    logger: createLogger(config.LOG_LEVEL),
    fetchText: fetchHttpText,
    ...(options.clock && { clock: options.clock }),
    ...(options.setHeaders && { setHeaders: options.setHeaders }),
    ...(options.dispatcher && { dispatcher: options.dispatcher }),
  });
  // The Node host's way to the docs bundle, so route tests see the page a user gets.
  const app = createApp(platform, [...plugins, ...(options.extraPlugins ?? [])], { docsScript: readDocsScript });
  return { app, platform, client, api: apiClient(app), databaseFile: config.DATABASE_URL.slice('file:'.length) };
}
