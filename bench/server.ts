import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const fixture = (name: string) => pathToFileURL(`${root}tests/fixtures/ecb/${name}`).href;

export interface BenchServer {
  baseUrl: string;
  pid: number;
  /** Set once the process has exited: a server that dies mid-run fails the bench. */
  exited(): { code: number | null; signal: string | null } | null;
  /** The last lines the server printed (warnings and errors only, at LOG_LEVEL=warn). */
  log(): string[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Spawns the real Node host (`npm start` without npm) on a free loopback port. */
export async function startServer(dataDir: string): Promise<BenchServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['core/hosts/node.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${dataDir}/bench.db`,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      EXCHANGE_RATES_URL: fixture('eurofxref-daily.xml'),
      EXCHANGE_RATES_HISTORY_URL: fixture('eurofxref-hist-90d.xml'),
    },
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 20));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exit: { code: number | null; signal: string | null } | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );

  const server: BenchServer = {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    exited: () => exit,
    log: () => [...lines],
    async stop() {
      if (exit) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };

  // Ready when /health answers 200; give up after 30 s or when the process dies.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !exit) {
    const status = await fetch(`${server.baseUrl}/health`).then((r) => r.status, () => 0);
    if (status === 200) return server;
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.stop();
  throw new Error(`server did not become healthy (exit: ${JSON.stringify(exit)})\n${lines.join('\n')}`);
}

/** Resident and peak memory of a process, from /proc (Linux only; null elsewhere). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU seconds a process has used so far (user + system), from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  try {
    // The fields after the ")" of the command name: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}
