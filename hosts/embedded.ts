/**
 * What the embedded hosts (Node: hosts/node.ts, Deno: hosts/deno.ts) share: one process, one
 * libSQL file, jobs on croner. Plain `node:` APIs only, which Deno supports too.
 */
import { Cron } from 'croner';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileBlobStore } from '../core/blobs/files.ts';
import type { BlobStore } from '../core/blobs/port.ts';
import { loadConfig, type Config } from '../core/config.ts';
import { createDatabase, type DatabaseHandle } from '../core/db/client.ts';
import { migrateDatabase } from '../core/db/migrate.ts';
import type { Context } from 'hono';
import { forwardedClient } from '../core/http/client-address.ts';
import { fetchHttpText } from '../core/http/fetch-text.ts';
import type { OcrPort } from '../core/ocr/port.ts';
import { createTesseractOcr } from '../core/ocr/tesseract.ts';
import type { AppEnv, Platform, ResolveHost } from '../core/platform.ts';

/** Development only: a secret generated once and kept in DATA_DIR, so tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The configuration from the process environment; throws ConfigError naming the variable. */
export function loadEmbeddedConfig(env: Record<string, string | undefined>): Config {
  // Production never reaches the fallback without a JWT_SECRET: the schema refuses that first.
  return loadConfig(env, (parsed) => developmentSecret(parsed.DATA_DIR));
}

// WAL lets reads go on while a write commits; FULL syncs the WAL at every commit, so an
// acknowledged write survives a power cut (NORMAL may lose the last ones).
const FILE_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000', 'foreign_keys = ON'];

/** Opens the database (creating a file's directory and setting its PRAGMAs) and migrates it. */
export async function openEmbeddedDatabase(config: Config): Promise<DatabaseHandle> {
  const file = config.DATABASE_URL.startsWith('file:');
  if (file) mkdirSync(dirname(config.DATABASE_URL.slice('file:'.length).split('?')[0]!), { recursive: true });
  const handle = createDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  if (file) for (const pragma of FILE_PRAGMAS) await handle.client.execute(`PRAGMA ${pragma}`);
  await migrateDatabase(handle.db);
  return handle;
}

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), every address of both families. */
export const resolveHost: ResolveHost = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** A rate source: http(s), or a local file (handy offline). */
export const readText = (url: string) => (url.startsWith('file:') ? readFile(fileURLToPath(url), 'utf8') : fetchHttpText(url));

/**
 * Schedules every job on croner and starts the `runOnStart` ones; stop the returned crons
 * on shutdown. Cron strings are read in UTC, as Workers read the same strings in wrangler.toml.
 * croner only calls the dispatcher: its lease (core/jobs.ts) is what keeps a second process
 * on the same database, or a tick that overlaps the last, from running a job twice.
 */
export function scheduleJobs(platform: Platform): Cron[] {
  const crons = platform.jobs
    .list()
    .map((job) => new Cron(job.cron, { timezone: 'UTC', protect: true, catch: true }, async () => void (await platform.jobs.run(job.name, 'cron'))));
  for (const job of platform.jobs.list().filter((j) => j.runOnStart)) {
    platform.jobs.run(job.name, 'startup').catch(() => {
      /* logged by the registry as a warning */
    });
  }
  return crons;
}

/**
 * Files under DATA_DIR (a receipt is DATA_DIR/receipts/<id>) and the tesseract.js pool, sized to
 * the CPUs and started by the first reading: stop it with the server.
 */
export function embeddedFiles(config: Config): { blobs: BlobStore; ocr: OcrPort } {
  return { blobs: createFileBlobStore(config.DATA_DIR), ocr: createTesseractOcr() };
}

/**
 * The client's address on an embedded host: the socket's peer, or with TRUST_PROXY the address
 * the nearest trusted proxy put in X-Forwarded-For. `peer` reads the runtime's own field.
 */
export function embeddedClientAddress(config: Config, peer: (c: Context<AppEnv>) => string | undefined) {
  const hops = config.TRUST_PROXY;
  if (hops === 0) return peer;
  return (c: Context<AppEnv>) => forwardedClient(c.req.header('x-forwarded-for'), hops) ?? peer(c);
}
