/**
 * `npm run dev:edge`: the Workers host on this machine. In workerd, @libsql/client speaks
 * HTTP only, so this starts a local sqld (data in ./data/sqld, port SQLD_PORT or 8080),
 * migrates it, then runs `wrangler dev` against it. Extra arguments go to wrangler
 * (`npm run dev:edge -- --port 9000`). Ctrl-C, SIGTERM or wrangler's exit stops sqld too.
 * Crons do not fire locally: it prints the request that runs each one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { unstable_readConfig } from 'wrangler';
import { createDatabase } from '../core/db/client.ts';
import { migrateDatabase } from '../core/db/migrate.ts';
import { startSqld } from './sqld.ts';

// Paths below are relative to the repository root, wherever this is started from.
process.chdir(fileURLToPath(new URL('..', import.meta.url)));

const DATA_DIR = './data';
const SQLD_DIR = `${DATA_DIR}/sqld`;
const SECRET_FILE = `${DATA_DIR}/edge-jwt-secret`;

const port = Number(process.env.SQLD_PORT || 8080);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`SQLD_PORT must be a port number, not ${process.env.SQLD_PORT}`);
const sqldUrl = `http://127.0.0.1:${port}`;

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function fail(message: string): never {
  console.error(`dev:edge: ${message}`);
  process.exit(1);
}

/** Generated once and kept, so tokens survive restarts; 48 random bytes (HS256 wants at least 32). */
function jwtSecret(): string {
  if (existsSync(SECRET_FILE)) return readFileSync(SECRET_FILE, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(SECRET_FILE, secret, { mode: 0o600 });
  return secret;
}

/** Something already listening there would answer our health check in sqld's place. */
function portInUse(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** One line per cron trigger of wrangler.toml (the plugins' job schedules, a test checks). */
function cronLines(wranglerArgs: string[]): string[] {
  const { values } = parseArgs({ args: wranglerArgs, options: { port: { type: 'string' } }, strict: false });
  const port = typeof values.port === 'string' ? values.port : '8787';
  // wrangler's local scheduled endpoint; the cron names which jobs run, as on Cloudflare.
  return (unstable_readConfig({ config: 'wrangler.toml' }).triggers.crons ?? []).map(
    (cron: string) => `  ${cron.padEnd(16)} curl "http://localhost:${port}/cdn-cgi/local/scheduled?${new URLSearchParams({ cron })}"`,
  );
}

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  if (await portInUse()) fail(`port ${port} is in use (an earlier dev:edge still running?): set SQLD_PORT to a free one`);
  const sqld = await startSqld(SQLD_DIR, port).catch((err: Error) => fail(err.message));
  const stopSqld = () => void sqld.stop();

  try {
    const { db, client } = createDatabase(sqldUrl);
    await migrateDatabase(db);
    client.close();
  } catch (err) {
    stopSqld();
    fail(`migrating ${sqldUrl} failed: ${err instanceof Error ? err.message : err}`);
  }
  console.log(`dev:edge: sqld on ${sqldUrl} (data ${SQLD_DIR}), migrated; starting wrangler dev`);
  const wranglerArgs = process.argv.slice(2);
  console.log(['dev:edge: crons do not fire locally; to run the jobs of one:', ...cronLines(wranglerArgs)].join('\n'));

  // Run wrangler with this Node (22): through PATH, `#!/usr/bin/env node` may find an older one.
  const wrangler = spawn(
    process.execPath,
    [
      'node_modules/.bin/wrangler',
      'dev',
      '--var',
      `DATABASE_URL:${sqldUrl}`,
      '--var',
      `JWT_SECRET:${jwtSecret()}`,
      '--var',
      'NODE_ENV:development',
      // Keeps wrangler's own hint quiet: it names no cron, and a scheduled() without one runs no job.
      '--test-scheduled',
      ...wranglerArgs,
    ],
    // No call out for Request.cf data at start (it fails, slowly, offline).
    { stdio: 'inherit', env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false' } },
  );

  let stopping = false;
  // Ctrl-C reaches wrangler from the terminal too; a SIGTERM sent to this process alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      stopping = true;
      if (running(wrangler)) wrangler.kill(signal);
      stopSqld();
    });
  }
  sqld.child.once('exit', (code, signal) => {
    if (stopping || !running(wrangler)) return;
    console.error(`dev:edge: sqld stopped (${signal ?? code}) while wrangler was running:\n${sqld.output()}`);
    wrangler.kill('SIGTERM');
  });
  wrangler.once('exit', (code, signal) => {
    stopping = true;
    stopSqld();
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

await main();
