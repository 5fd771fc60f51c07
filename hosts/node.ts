/**
 * The embedded default: one Node process, one libSQL file. `npm start` runs this file.
 * It creates and migrates the database, serves the API, and runs the jobs with croner.
 */
import { plugins } from '../plugins/index.ts';
import { createApp } from '../core/app.ts';
import { ConfigError } from '../core/config.ts';
import { batchedLines, createLogger, errorFields } from '../core/logger.ts';
import { createPlatform } from '../core/platform.ts';
import { readDocsScript } from './docs-script-file.ts';
import type { HttpBindings } from '@hono/node-server';
import { embeddedClientAddress, embeddedFiles, loadEmbeddedConfig, openEmbeddedDatabase, readText, resolveHost, scheduleJobs } from './embedded.ts';
import { createNodeRealtime } from './node-realtime.ts';
import { listen, setOnServerResponse } from './node-server.ts';

async function main() {
  const config = loadEmbeddedConfig(process.env);
  const lines = batchedLines((text) => process.stdout.write(text));
  process.on('exit', lines.flush);
  const logger = createLogger(config.LOG_LEVEL, lines.write);
  const { db, client } = await openEmbeddedDatabase(config);

  const realtime = createNodeRealtime();
  const { blobs, ocr } = embeddedFiles(config);
  const clientAddress = embeddedClientAddress(config, (c) => (c.env as HttpBindings).incoming.socket.remoteAddress);
  const platform = createPlatform({
    config,
    db,
    logger,
    fetchText: readText,
    resolveHost,
    realtime: realtime.transport,
    setHeaders: setOnServerResponse,
    blobs,
    ocr,
    clientAddress,
  });
  const app = createApp(platform, plugins, { docsScript: readDocsScript });

  const { server, stop: stopServer } = listen(app.fetch, config, logger, realtime.server);
  server.on('error', (err: NodeJS.ErrnoException) => {
    logger.error(err.code === 'EADDRINUSE' ? `port ${config.PORT} is in use: set PORT to a free one` : 'server error', errorFields(err));
    process.exit(1);
  });

  const crons = scheduleJobs(platform);

  let stopping = false;
  const stop = async (signal: string) => {
    // Under `npm start` the signal arrives twice (to the process group, and forwarded by npm):
    // one stop, bounded by SHUTDOWN_GRACE_MS. With no listener left, the repeat would kill the process.
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    for (const c of crons) c.stop();
    // Sockets first: an open WebSocket would hold the server's close until the grace ran out.
    realtime.closeAll();
    // Running jobs are told to stop with the requests; those that outlast the grace give their
    // lease back, so another process takes the job over at its next tick instead of at expiry.
    await Promise.all([stopServer(), platform.jobs.stop(config.SHUTDOWN_GRACE_MS)]);
    // Readings still running are cut short: their receipts stay pending and resume at the next start.
    await ocr.stop();
    client.close();
    logger.info('stopped', { signal });
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  // A configuration error is the user's to fix: say which variable, without a stack.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(JSON.stringify({ level: 'error', msg: 'start failed', ...errorFields(err) }));
  process.exit(1);
});
