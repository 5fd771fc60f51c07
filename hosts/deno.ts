/// <reference lib="deno.window" />
/**
 * The embedded host on Deno: the same app, database file and jobs as hosts/node.ts, served
 * by `Deno.serve`. `npm run start:deno` runs this file with the `deno` npm package.
 */
import { plugins } from '../plugins/index.ts';
import { createApp } from '../core/app.ts';
import { ConfigError } from '../core/config.ts';
import { AppError, errorBody } from '../core/http/errors.ts';
import { MAX_BODY_BYTES } from '../core/http/guards.ts';
import { createLogger, errorFields } from '../core/logger.ts';
import { createPlatform } from '../core/platform.ts';
import { readBodyWithin } from './deno-body.ts';
import { createDenoRealtime } from './deno-realtime.ts';
import { readDocsScript } from './docs-script-file.ts';
import { embeddedClientAddress, embeddedFiles, loadEmbeddedConfig, openEmbeddedDatabase, readText, resolveHost, scheduleJobs } from './embedded.ts';

// See `stop` below.
const SETTLE_MS = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function shuttingDown(): Response {
  const err = new AppError('SHUTTING_DOWN', 'The server is stopping; try again in a moment', undefined, { 'Retry-After': '1' });
  return Response.json(errorBody(err, crypto.randomUUID()), { status: err.status, headers: { ...err.headers, connection: 'close' } });
}

async function main() {
  const config = loadEmbeddedConfig(Deno.env.toObject());
  const logger = createLogger(config.LOG_LEVEL);
  const { db, client } = await openEmbeddedDatabase(config);

  const realtime = createDenoRealtime();
  const { blobs, ocr } = embeddedFiles(config);
  // app.fetch gets Deno.serve's info as its env (below).
  const clientAddress = embeddedClientAddress(config, (c) => {
    const addr = (c.env as Deno.ServeHandlerInfo).remoteAddr;
    return 'hostname' in addr ? addr.hostname : undefined;
  });
  const platform = createPlatform({ config, db, logger, fetchText: readText, resolveHost, realtime: realtime.transport, blobs, ocr, clientAddress });
  const app = createApp(platform, plugins, { docsScript: readDocsScript });

  // A stop goes in three steps. For SETTLE_MS every request is still served, each answer
  // closing its connection: a request sent before the signal may not have been read yet. Then
  // new requests get 503 SHUTTING_DOWN (closing too) while those in flight finish. Only then
  // shutdown(): on Deno 2.9 it cuts off the body of a request still being received
  // (denoland/deno#36809), so it must not run while one is in flight.
  let phase: 'serving' | 'settling' | 'refusing' = 'serving';
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const handler: Deno.ServeHandler = async (request, info) => {
    if (phase === 'refusing') return shuttingDown();
    inFlight++;
    try {
      // An upload (multipart) may be as large as RECEIPT_MAX_BYTES; JSON bodies 1 MB.
      const limit = /^multipart\/form-data/i.test(request.headers.get('content-type') ?? '') ? config.RECEIPT_MAX_BYTES : MAX_BODY_BYTES;
      const read = await readBodyWithin(request, config.REQUEST_TIMEOUT_MS, limit);
      const res = read instanceof Response ? read : await app.fetch(read, info);
      // A 101 has switched protocols: its connection is the socket's, closed by closeAll on a stop.
      if (phase !== 'serving' && res.status !== 101) res.headers.set('connection', 'close');
      return res;
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

  const stop = async (signal: string) => {
    // Under `npm run` the signal arrives twice (to the group, and forwarded by npm): one stop.
    if (phase !== 'serving') return;
    phase = 'settling';
    logger.info('stopping', { signal });
    for (const c of crons) c.stop();
    // Sockets first: an open WebSocket would hold server.shutdown() until the grace ran out.
    realtime.closeAll();
    const deadline = Date.now() + config.SHUTDOWN_GRACE_MS;
    // Running jobs are told to stop; those that outlast the grace give their lease back (core/jobs.ts).
    const jobsStopped = platform.jobs.stop(config.SHUTDOWN_GRACE_MS);
    await sleep(Math.min(SETTLE_MS, config.SHUTDOWN_GRACE_MS));
    phase = 'refusing';
    const idle = new Promise<'idle'>((resolve) => (inFlight === 0 ? resolve('idle') : (drained = () => resolve('idle'))));
    const graceOver = () => sleep(Math.max(0, deadline - Date.now())).then(() => 'timeout' as const);
    if ((await Promise.race([idle, graceOver()])) === 'timeout') {
      logger.warn('requests still in flight at the end of the grace period: closing them', { inFlight, graceMs: config.SHUTDOWN_GRACE_MS });
    } else {
      await Promise.race([server.shutdown(), graceOver()]);
    }
    await jobsStopped;
    await ocr.stop();
    client.close();
    logger.info('stopped', { signal });
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
