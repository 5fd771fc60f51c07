import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './net.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface NodeHost {
  baseUrl: string;
  /** The spawned process: npm's with `npm start`, the server's itself with `node`. */
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  /** Set once the process has exited. */
  exited(): { code: number | null; signal: string | null } | null;
  stop(): Promise<void>;
}

/**
 * Runs the real Node host on a free loopback port — through `npm start`, as a user would,
 * or as `node hosts/node.ts` when the process itself is measured — and resolves once
 * /health answers 200 (30 s at most).
 */
export async function startNodeHost(env: Record<string, string>, via: 'npm start' | 'node' = 'npm start'): Promise<NodeHost> {
  const port = await freePort();
  const [command, args] = via === 'npm start' ? ['npm', ['start', '--silent']] : [process.execPath, ['hosts/node.ts']];
  // Its own process group: npm start → sh → node all get the stop signal.
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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

  const host: NodeHost = {
    baseUrl: `http://127.0.0.1:${port}`,
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

  const deadline = Date.now() + 30_000;
  while (!exit && Date.now() < deadline) {
    const up = await fetch(`${host.baseUrl}/health`).then((r) => r.ok, () => false);
    if (up) return host;
    await new Promise((r) => setTimeout(r, 100));
  }
  await host.stop();
  throw new Error(`${via} did not answer /health (${exit ? `exited ${JSON.stringify(exit)}` : 'after 30 s'}):\n${output}`);
}
