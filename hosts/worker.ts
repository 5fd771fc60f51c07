/**
 * The edge host: the same app in workerd. libSQL over HTTP (Turso, or a local sqld in dev
 * and tests); jobs run from the cron triggers of wrangler.toml through `scheduled()`; the
 * realtime rooms are Durable Objects (durable-objects/, re-exported here).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { plugins } from '../plugins/index.ts';
import { createApp } from '../core/app.ts';
import { createR2BlobStore } from '../core/blobs/r2.ts';
import { ConfigError, loadConfig } from '../core/config.ts';
import { createRemoteDatabase } from '../core/db/remote.ts';
import { fetchHttpText } from '../core/http/fetch-text.ts';
import { createLogger } from '../core/logger.ts';
import { createPlatform, type AppEnv, type Platform } from '../core/platform.ts';
import type { SyncRoom } from '../durable-objects/sync-room.ts';
import { checkWorkerRateLimits } from './worker-limits.ts';
import { durableObjectRooms } from './worker-realtime.ts';

// Durable Object classes are exported by the Worker's entry (bound in wrangler.toml).
export { SyncRoom } from '../durable-objects/sync-room.ts';

export interface Env {
  DATABASE_URL: string;
  DATABASE_AUTH_TOKEN?: string;
  JWT_SECRET: string;
  /** Workers Static Assets: the API reference's browser bundle (see [assets] in wrangler.toml). */
  ASSETS: Fetcher;
  /** The realtime rooms, one Durable Object per user (durable-objects/sync-room.ts). */
  SYNC_ROOM: DurableObjectNamespace<SyncRoom>;
  /** Receipt files (wrangler.toml [[r2_buckets]]). */
  RECEIPTS: R2Bucket;
  [name: string]: unknown;
}

let booted: { app: OpenAPIHono<AppEnv>; platform: Platform } | undefined;

// Built once per isolate from the first request's bindings; they do not change within one.
function boot(env: Env) {
  if (booted) return booted;
  const config = loadConfig(env);
  if (config.DATABASE_URL.startsWith('file:') || config.DATABASE_URL === ':memory:') {
    throw new ConfigError('Invalid configuration:\n  DATABASE_URL: must be a libsql:, https: or http: URL on Workers');
  }
  checkWorkerRateLimits(config);
  // No queue in the client: a call queued behind another request's would be started by that
  // request's I/O, which workerd does not allow; it cancels the waiting request as hung (seen
  // with 20 concurrent writes). Workers bound each request's own connections themselves.
  const { db } = createRemoteDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN, { concurrency: Infinity });
  const logger = createLogger(config.LOG_LEVEL);
  const realtime = durableObjectRooms(env.SYNC_ROOM, logger);
  // No OCR port here: receipts stay pending until the Node OCR worker reads them.
  const platform = createPlatform({
    config,
    db,
    logger,
    fetchText: fetchHttpText,
    // No resolveHost: Workers have no DNS API. Webhook URLs are judged by what they show (an IP
    // literal, `localhost`), and Cloudflare's fetch does not reach private networks by itself.
    realtime,
    blobs: createR2BlobStore(env.RECEIPTS),
    // Cloudflare's edge sets it to the address that connected to it; a client cannot forge it.
    clientAddress: (c) => c.req.header('cf-connecting-ip'),
    keepAlive: (c, work) => c.executionCtx.waitUntil(work),
  });
  // The asset layer holds the package's dist/browser folder; the Worker hands out only this
  // file. The binding looks at the path alone; the host is a placeholder.
  const docsScript = () => env.ASSETS.fetch('https://assets.invalid/standalone.js');
  booted = { app: createApp(platform, plugins, { docsScript }), platform };
  return booted;
}

export default {
  async fetch(request, env, ctx) {
    try {
      return await boot(env).app.fetch(request, env, ctx);
    } catch (err) {
      // Only a configuration error reaches here (the app answers its own errors).
      console.error(err instanceof Error ? err.message : String(err));
      return Response.json({ success: false, error: 'internal error', code: 'INTERNAL' }, { status: 500 });
    }
  },
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(boot(env).platform.jobs.runCron(controller.cron));
  },
} satisfies ExportedHandler<Env>;
