import { spawn } from 'node:child_process';
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

/** The floor (bench/floor.ts: bare node:http, or Hono alone) in its own process, like ours: same core budget. */
export async function startFloor(contentType: string, body: string, kind: 'bare' | 'hono' | 'headers' = 'bare', headers: Record<string, string> = {}): Promise<Floor> {
  const child = spawn(process.execPath, [`${root}bench/floor.ts`, contentType, body, kind, JSON.stringify(headers)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`floor server exited with ${code}`)));
  });
  return { baseUrl: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGKILL') };
}
