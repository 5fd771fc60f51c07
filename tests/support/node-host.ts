import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './net.ts';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface HostProcess {
  baseUrl: string;
  /** The spawned process: npm's with `npm start`, the server's itself with `node`. */
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Set once the process has exited. */
  exited(): { code: number | null; signal: string | null } | null;
  stop(): Promise<void>;
}

/** The Node host; the bench measures it. */
export type NodeHost = HostProcess;

/**
 * Spawns a host as `command args` in the repository, in its own process group (npm → sh →
 * the server all get the stop signal), and resolves once `baseUrl`/health answers 200.
 */
export async function startHostProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  { baseUrl, startTimeoutMs = 30_000 }: { baseUrl: string; startTimeoutMs?: number },
): Promise<HostProcess> {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exit: { code: number | null; signal: string | null } | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );

  const host: HostProcess = {
    baseUrl,
    pid: child.pid!,
    output: () => output,
    exited: () => exit,
    async stop() {
      if (exit) return;
      process.kill(-child.pid!, 'SIGTERM');
      const force = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(force);
    },
  };

  const deadline = Date.now() + startTimeoutMs;
  while (!exit && Date.now() < deadline) {
    const up = await fetch(`${host.baseUrl}/health`).then((r) => r.ok, () => false);
    if (up) return host;
    await new Promise((r) => setTimeout(r, 100));
  }
  await host.stop();
  const why = exit ? `exited ${JSON.stringify(exit)}` : `after ${startTimeoutMs / 1000} s`;
  throw new Error(`${[command, ...args].join(' ')} did not answer /health (${why}):\n${output}`);
}

// As `npm start` runs it (package.json): request context (AsyncLocalStorage) kept by V8's
// continuation data rather than by async hooks that run on every promise and native callback;
// and no allocation-site pretenuring, which after a burst of writes made every later request
// cost more in garbage collection (README, "Durability and speed").
const NODE_HOST_FLAGS = ['--experimental-async-context-frame', '--no-allocation-site-pretenuring'];

/**
 * Runs the real Node host on a free loopback port — through `npm start`, as a user would,
 * or as `node hosts/node.ts` when the process itself is measured — and resolves once
 * /health answers 200 (30 s at most).
 */
export async function startNodeHost(env: Record<string, string>, via: 'npm start' | 'node' = 'npm start'): Promise<NodeHost> {
  const port = await freePort();
  const [command, args] = via === 'npm start' ? ['npm', ['start', '--silent']] : [process.execPath, [...NODE_HOST_FLAGS, 'hosts/node.ts']];
  return startHostProcess(command, args, { ...offUnlessAsked, ...env, PORT: String(port) }, { baseUrl: `http://127.0.0.1:${port}` });
}

/** Tests about something else make many requests from one address: limits only where a test asks. */
const offUnlessAsked = { RATE_LIMITS: 'off' };

/** The real Deno host through `npm run start:deno`, on a free loopback port. */
export async function startDenoHost(env: Record<string, string>): Promise<HostProcess> {
  const port = await freePort();
  return startHostProcess('npm', ['run', 'start:deno', '--silent'], { ...offUnlessAsked, ...env, PORT: String(port) }, { baseUrl: `http://127.0.0.1:${port}` });
}
