import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../core/app.ts';
import { createFileBlobStore } from '../../core/blobs/files.ts';
import type { OcrPort } from '../../core/ocr/port.ts';
import { createTesseractOcr } from '../../core/ocr/tesseract.ts';
import type { SetHeaders } from '../../core/http/headers.ts';
import { loadConfig } from '../../core/config.ts';
import { createDatabase } from '../../core/db/client.ts';
import { migrateDatabase } from '../../core/db/migrate.ts';
import { forwardedClient } from '../../core/http/client-address.ts';
import { fetchHttpText } from '../../core/http/fetch-text.ts';
import { createLogger } from '../../core/logger.ts';
import type { DispatcherOptions } from '../../core/jobs.ts';
import { createPlatform, type Clock } from '../../core/platform.ts';
import type { PluginDefinition } from '../../core/plugin.ts';
import { readDocsScript } from '../../hosts/docs-script-file.ts';
import { resolveHost } from '../../hosts/embedded.ts';
import { plugins } from '../../plugins/index.ts';
import { apiClient } from './api-client.ts';
import { UNREACHABLE_URL } from './rates-server.ts';
import { TEST_HASH_COST } from './hash-cost.ts';

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
  /** The data folder (files, receipts): a fresh one by default; give one to reopen an app's data. */
  dir?: string;
  /** The OCR port: a one-worker tesseract.js pool (started by the first reading) by default; null for none, as on Workers. */
  ocr?: OcrPort | null;
  /** The job dispatcher's options (say, a short status cache). */
  dispatcher?: DispatcherOptions;
  /** Open this database file instead of a fresh one (a second process on the same database). */
  databaseFile?: string;
}

/** The whole app over a fresh libSQL file, with real ports: what `npm start` builds, minus the socket. */
export async function createTestApp(options: TestAppOptions = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'expenseflow-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    DATA_DIR: dir,
    DATABASE_URL: `file:${options.databaseFile ?? join(dir, 'test.db')}`,
    EXCHANGE_RATES_URL: options.rates?.dailyUrl ?? UNREACHABLE_URL,
    EXCHANGE_RATES_HISTORY_URL: options.rates?.historyUrl ?? UNREACHABLE_URL,
    // Tests about something else make many requests as one user: limits are for their own tests.
    RATE_LIMITS: 'off',
    // Production refuses the cheap cost: a production app hashes at the default.
    ...(options.env?.NODE_ENV !== 'production' && TEST_HASH_COST),
    ...options.env,
  });
  const { db, client } = createDatabase(config.DATABASE_URL);
  await migrateDatabase(db);
  const platform = createPlatform({
    config,
    db,
    logger: createLogger(config.LOG_LEVEL),
    fetchText: fetchHttpText,
    // As a host behind one trusted proxy: a test names its client in X-Forwarded-For.
    clientAddress: (c) => forwardedClient(c.req.header('x-forwarded-for'), 1) ?? '127.0.0.1',
    ...(options.clock && { clock: options.clock }),
    ...(options.setHeaders && { setHeaders: options.setHeaders }),
    blobs: createFileBlobStore(dir),
    // The embedded hosts' resolver (/etc/hosts, then DNS): `localhost` resolves offline.
    resolveHost,
    ...(options.ocr !== null && { ocr: options.ocr ?? createTesseractOcr({ workers: 1 }) }),
    ...(options.dispatcher && { dispatcher: options.dispatcher }),
  });
  // The Node host's way to the docs bundle, so route tests see the page a user gets.
  const app = createApp(platform, [...plugins, ...(options.extraPlugins ?? [])], { docsScript: readDocsScript });
  return { app, platform, client, dir, api: apiClient(app), databaseFile: config.DATABASE_URL.slice('file:'.length) };
}
