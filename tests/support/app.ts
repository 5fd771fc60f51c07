import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../core/app.ts';
import { loadConfig } from '../../core/config.ts';
import { createDatabase } from '../../core/db/client.ts';
import { migrateDatabase } from '../../core/db/migrate.ts';
import { fetchHttpText } from '../../core/http/fetch-text.ts';
import { createLogger } from '../../core/logger.ts';
import { createPlatform, type Clock } from '../../core/platform.ts';
import type { PluginDefinition } from '../../core/plugin.ts';
import { readDocsScript } from '../../hosts/docs-script-file.ts';
import { plugins } from '../../plugins/index.ts';
import { UNREACHABLE_URL } from './rates-server.ts';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long';

export interface TestAppOptions {
  /** Rate source URLs; default: unreachable (no rates until a test loads some). */
  rates?: { dailyUrl: string; historyUrl: string };
  env?: Record<string, string>;
  clock?: Clock;
  /** Added after the manifest's plugins, e.g. a plugin whose route throws. */
  extraPlugins?: PluginDefinition[];
}

/** The whole app over a fresh libSQL file, with real ports: what `npm start` builds, minus the socket. */
export async function createTestApp(options: TestAppOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'silent',
    DATABASE_URL: `file:${join(dir, 'test.db')}`,
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
  });
  // The Node host's way to the docs bundle, so route tests see the page a user gets.
  const app = createApp(platform, [...plugins, ...(options.extraPlugins ?? [])], { docsScript: readDocsScript });
  return { app, platform, client, api: apiClient(app) };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the app the way a client would: JSON in, JSON out, optional bearer token. */
export function apiClient(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }) {
  const call = async <T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    call,
    get: <T = any>(path: string, token?: string) => call<T>('GET', path, { token }),
    post: <T = any>(path: string, body: unknown, token?: string) => call<T>('POST', path, { body, token }),
    put: <T = any>(path: string, body: unknown, token?: string) => call<T>('PUT', path, { body, token }),
    patch: <T = any>(path: string, body: unknown, token?: string) => call<T>('PATCH', path, { body, token }),
    del: <T = any>(path: string, token?: string) => call<T>('DELETE', path, { token }),
    /** Registers a user and returns their token and id. */
    async register(email = `user-${Math.random().toString(36).slice(2)}@example.com`, name = 'Test User') {
      const res = await call<{ token: string; user: { id: string } }>('POST', '/api/auth/register', {
        body: { name, email, password: 'password123' },
      });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.token, id: res.body.user.id, email };
    },
  };
}
