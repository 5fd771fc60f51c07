import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { startNodeHost } from '../tests/support/node-host.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const fixture = (name: string) => pathToFileURL(`${root}tests/fixtures/ecb/${name}`).href;

/**
 * The Node host itself (not through npm: its pid is measured), on the bench's database, rates
 * from the ECB fixtures. `inspect`: with the inspector on a loopback port, for `heapOf`.
 */
export const startServer = (dataDir: string, { inspect = false } = {}) =>
  startNodeHost(
    {
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${dataDir}/bench.db`,
      LOG_LEVEL: 'warn', // request logs would dominate the measurement
      NODE_ENV: 'development',
      // One user making thousands of requests a second: the limits would answer 429 to nearly all.
      RATE_LIMITS: 'off',
      EXCHANGE_RATES_URL: fixture('eurofxref-daily.xml'),
      EXCHANGE_RATES_HISTORY_URL: fixture('eurofxref-hist-90d.xml'),
      ...(inspect && { NODE_OPTIONS: '--inspect=127.0.0.1:0' }),
    },
    'node',
  );

/**
 * The memory a server started with `inspect` holds after a full garbage collection: its JS heap
 * plus what it holds outside it (buffers, native objects V8 knows of), in bytes. Through the
 * inspector protocol (HeapProfiler.collectGarbage, then process.memoryUsage()): unlike RSS, not
 * moved by when the collector last ran.
 */
export async function heapOf(server: { output(): string }): Promise<number> {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(server.output())?.[1];
  if (!url) throw new Error('the server was not started with inspect');
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let id = 0;
  const call = (method: string, params?: object) =>
    new Promise<{ result?: { result?: { value?: string } } }>((resolve) => {
      const mine = ++id;
      const onMessage = (data: WebSocket.RawData) => {
        const message = JSON.parse(String(data));
        if (message.id !== mine) return;
        ws.off('message', onMessage);
        resolve(message);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id: mine, method, params }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const answer = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const usage = JSON.parse(answer.result!.result!.value!) as { heapUsed: number; external: number };
    return usage.heapUsed + usage.external;
  } finally {
    ws.close();
  }
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

export interface Floor {
  baseUrl: string;
  pid: number;
  stop(): void;
}

/** The floor (bench/floor.ts: bare node:http, or a Hono reference) in its own process, like ours: same core budget. */
export const startFloor = (contentType: string, body: string, kind: 'bare' | 'hono' | 'headers' | 'app' = 'bare', headers: Record<string, string> = {}) =>
  startReference('bench/floor.ts', [contentType, body, kind, JSON.stringify(headers)]);

/** The storage of a create alone (bench/storage-alone.ts), on its own database file, in its own process as the floor. */
export const startStorageAlone = (file: string) => startReference('bench/storage-alone.ts', [file]);

/** A reference server from `script`, pinned as ours: it prints its port once it listens. */
async function startReference(script: string, args: string[]): Promise<Floor> {
  const child = spawn(process.execPath, [`${root}${script}`, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  pinning.server(child.pid!);
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { baseUrl: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

// Every CPU of the machine (availableParallelism() counts only those this process may use).
const allCpus = `0-${cpus().length - 1}`;

/**
 * CPU pinning for the share measurements: every server (ours and the floors) on CPU 0, the load
 * generator (this process: autocannon runs in it) on CPU 1. Unpinned, the scheduler sometimes
 * runs the load generator on the server's CPU (loopback wake-ups pull them together), which
 * slows a server more the more CPU it needs per request, and moves the figures from run to run.
 * Linux with `taskset` and two or more CPUs only; BENCH_PIN=0 turns it off. All threads of a
 * process are moved (`-a`), and the threads it starts later inherit the setting.
 */
export const pinning = {
  on: process.platform === 'linux' && process.env.BENCH_PIN !== '0' && cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0,
  server(pid: number) {
    if (this.on) taskset(pid, '0');
  },
  loadGenerator() {
    if (this.on) taskset(process.pid, '1');
  },
  /** This process back on every CPU, and the servers it starts from now on with it. */
  release() {
    if (this.on) taskset(process.pid, allCpus);
  },
};

function taskset(pid: number, cpuList: string): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpuList, String(pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`taskset -a -p -c ${cpuList} ${pid}: ${r.stderr.trim()}`);
}
