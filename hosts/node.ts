/**
 * The embedded default: one Node process, one libSQL file. `npm start` runs this file.
 * It creates and migrates the database, serves the API, and runs the jobs with croner.
 */
import { serve } from '@hono/node-server';
import { Cron } from 'croner';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plugins } from '../plugins/index.ts';
import { createApp } from '../core/app.ts';
import { ConfigError, loadConfig } from '../core/config.ts';
import { createDatabase } from '../core/db/client.ts';
import { migrateDatabase } from '../core/db/migrate.ts';
import { fetchHttpText } from '../core/http/fetch-text.ts';
import { batchedLines, createLogger, errorFields } from '../core/logger.ts';
import { createPlatform } from '../core/platform.ts';

/** Development only: a secret generated once and kept in DATA_DIR, so tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

const readText = (url: string) => (url.startsWith('file:') ? readFile(fileURLToPath(url), 'utf8') : fetchHttpText(url));

async function main() {
  const env = process.env;
  // Production never gets here without a JWT_SECRET: the schema refuses that first.
  const config = loadConfig(env, (parsed) => developmentSecret(parsed.DATA_DIR));
  const lines = batchedLines((text) => process.stdout.write(text));
  process.on('exit', lines.flush);
  const logger = createLogger(config.LOG_LEVEL, lines.write);

  if (config.DATABASE_URL.startsWith('file:')) {
    mkdirSync(dirname(config.DATABASE_URL.slice('file:'.length)), { recursive: true });
  }
  const { db, client } = createDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  if (config.DATABASE_URL.startsWith('file:')) {
    // WAL lets reads go on while a write commits; FULL syncs the WAL at every commit, so an
    // acknowledged write survives a power cut, not only a killed process.
    for (const pragma of ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000', 'foreign_keys = ON']) {
      await client.execute(`PRAGMA ${pragma}`);
    }
  }
  await migrateDatabase(db);

  const platform = createPlatform({ config, db, logger, fetchText: readText });
  const app = createApp(platform, plugins);

  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) =>
    logger.info('listening', { url: `http://localhost:${info.port}`, database: config.DATABASE_URL.split('?')[0] }),
  );
  server.on('error', (err: NodeJS.ErrnoException) => {
    logger.error(err.code === 'EADDRINUSE' ? `port ${config.PORT} is in use: set PORT to a free one` : 'server error', errorFields(err));
    process.exit(1);
  });

  // Cron strings are read in UTC, as Workers read the same strings in wrangler.toml.
  const crons = platform.jobs.list().map(
    (job) => new Cron(job.cron, { timezone: 'UTC', protect: true, catch: true }, () => platform.jobs.run(job.name, 'cron')),
  );
  for (const job of platform.jobs.list().filter((j) => j.runOnStart)) {
    platform.jobs.run(job.name, 'startup').catch(() => {
      /* logged by the registry as a warning */
    });
  }

  const stop = (signal: string) => {
    logger.info('stopping', { signal });
    for (const c of crons) c.stop();
    server.close(() => {
      client.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  // A configuration error is the user's to fix: say which variable, without a stack.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(JSON.stringify({ level: 'error', msg: 'start failed', ...errorFields(err) }));
  process.exit(1);
});
