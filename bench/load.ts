import autocannon, { type Options } from 'autocannon';
import { cpuSecondsOf } from './server.ts';

export interface Scenario {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The status every answer must have (200 unless said). */
  status?: number;
  /** Concurrent connections; CONNECTIONS unless said (one for a single user's latency). */
  connections?: number;
  /** Appends `&n=<counter>` to every request: each URL is new, so no per-URL cache can answer it. */
  uniqueQuery?: boolean;
}

export interface Measurement {
  name: string;
  expectedStatus: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Answers with another status than the expected one. */
  unexpected: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Server CPU use over the run, in percent of one core (one Node thread tops out near 100). */
  serverCpuPct: number;
}

export const CONNECTIONS = 50;
export const DURATION_S = 10;
// Long enough for the JIT to settle on a path: under POST load a fresh server's background
// compiler (on the server's one pinned CPU) took 290–510 ms of every 2 s for the first 6 s, and
// 20–70 ms from 8 s on; after 2 s its p99 was still 90 ms and more, after 8 s 55–65 ms.
export const WARMUP_S = 8;

let unique = 0;

/** A warm-up (JIT, SQLite page cache), then the measured run. */
export async function measure(baseUrl: string, serverPid: number, s: Scenario, { durationS = DURATION_S, warmupS = WARMUP_S } = {}): Promise<Measurement> {
  const options: Options = {
    url: baseUrl + s.path,
    connections: s.connections ?? CONNECTIONS,
    method: s.method ?? 'GET',
    headers: s.headers ?? {},
    ...(s.body !== undefined && { body: s.body }),
    ...(s.uniqueQuery && {
      requests: [{ setupRequest: (req: { path?: string }) => ({ ...req, path: `${s.path}&n=${unique++}` }) }],
    }),
  };
  await autocannon({ ...options, duration: warmupS });
  const cpuBefore = cpuSecondsOf(serverPid);
  const started = performance.now();
  const r = await autocannon({ ...options, duration: durationS });
  const wallS = (performance.now() - started) / 1000;
  const expectedStatus = s.status ?? 200;
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, { count }]) => [code, count ?? 0]));
  return {
    name: s.name,
    expectedStatus,
    reqPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    unexpected: Object.entries(statusCodes).reduce((n, [code, count]) => (Number(code) === expectedStatus ? n : n + count), 0),
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    serverCpuPct: ((cpuSecondsOf(serverPid) - cpuBefore) / wallS) * 100,
  };
}
