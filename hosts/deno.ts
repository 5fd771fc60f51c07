/// <reference lib="deno.window" />
/**
 * The embedded host on Deno: the same app, database file and jobs as hosts/node.ts, served
 * by `Deno.serve`. `npm run start:deno` runs this file with the `deno` npm package.
 */
import { plugins } from '../plugins/index.ts';
import { createApp } from '../core/app.ts';
import { ConfigError } from '../core/config.ts';
import { createLogger, errorFields } from '../core/logger.ts';
import { createPlatform } from '../core/platform.ts';
import { readDocsScript } from './docs-script-file.ts';
import { loadEmbeddedConfig, openEmbeddedDatabase, readText, scheduleJobs } from './embedded.ts';

async function main() {
  const config = loadEmbeddedConfig(Deno.env.toObject());
  const logger = createLogger(config.LOG_LEVEL);
  const { db, client } = await openEmbeddedDatabase(config);

  const platform = createPlatform({ config, db, logger, fetchText: readText });
  const app = createApp(platform, plugins, { docsScript: readDocsScript });

  // Deno 2.9's shutdown() cuts off the body of a request still being received, so a stop
  // first waits for the requests in flight (counted here), then shuts the server down.
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const handler: Deno.ServeHandler = async (request, info) => {
    inFlight++;
    try {
      return await app.fetch(request, info);
    } finally {
      if (--inFlight === 0) drained?.();
    }
  };

  let server: Deno.HttpServer;
  try {
    server = Deno.serve(
      {
        port: config.PORT,
        onListen: ({ port }) => logger.info('listening', { url: `http://localhost:${port}`, database: config.DATABASE_URL.split('?')[0] }),
      },
      handler,
    );
  } catch (err) {
    logger.error(err instanceof Deno.errors.AddrInUse ? `port ${config.PORT} is in use: set PORT to a free one` : 'server error', errorFields(err));
    Deno.exit(1);
  }

  const crons = scheduleJobs(platform);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    for (const c of crons) c.stop();
    const idle = new Promise<'idle'>((resolve) => (inFlight === 0 ? resolve('idle') : (drained = () => resolve('idle'))));
    const grace = new Promise<'timeout'>((resolve) => setTimeout(resolve, config.SHUTDOWN_GRACE_MS, 'timeout'));
    if ((await Promise.race([idle, grace])) === 'timeout') {
      logger.warn('requests still in flight at the end of the grace period', { inFlight, graceMs: config.SHUTDOWN_GRACE_MS });
    } else {
      await Promise.race([server.shutdown(), grace]);
    }
    client.close();
    Deno.exit(0);
  };
  Deno.addSignalListener('SIGINT', () => void stop('SIGINT'));
  Deno.addSignalListener('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  // A configuration error is the user's to fix: say which variable, without a stack.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(JSON.stringify({ level: 'error', msg: 'start failed', ...errorFields(err) }));
  Deno.exit(1);
});
