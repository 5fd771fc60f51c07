/**
 * Throughput and latency of the Node host (`npm run bench`): a real server process on a temp
 * database with one user holding 10,000 expenses, loaded with autocannon. Not a test: it
 * prints PASS/MISS per target and exits 0 either way, unless the server failed (it died, or
 * answered anything but 2xx).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS, DURATION_S, measure, WARMUP_S, type Measurement } from './load.ts';
import { insertExpenses, makeExpenses } from './seed.ts';
import type { NodeHost } from '../tests/support/node-host.ts';
import { memoryOf, startServer } from './server.ts';

const EXPENSES = 10_000;
const TARGET_LIST_SHARE = 0.25; // list req/s at least 25% of /health req/s
const TARGET_LIST_P99_MS = 20;

const dataDir = mkdtempSync(join(tmpdir(), 'expenseflow-bench-'));
const databaseUrl = `file:${dataDir}/bench.db`;
let server: NodeHost | undefined;

// Last resort on any exit path: no server left behind, no temp dir either.
process.on('exit', () => {
  try {
    if (server && !server.exited()) process.kill(server.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  rmSync(dataDir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const ms = (since: number) => `${(performance.now() - since).toFixed(0)} ms`;

async function api(path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(server!.baseUrl + path, { ...init, headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

async function setUp(): Promise<string> {
  let t = performance.now();
  server = await startServer(dataDir);
  console.log(`server up (pid ${server.pid}) at ${server.baseUrl} in ${ms(t)}`);

  const reg = await api('/api/auth/register', {
    method: 'POST',
    body: JSON.stringify({ name: 'Bench User', email: 'bench@example.com', password: 'bench-password-1' }),
  });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const { token, user } = reg.body as { token: string; user: { id: string } };

  // The start-up job loads the ECB fixture; until then every non-USD amount is "pending".
  for (let tries = 0; (await api('/api/currency/rates', { token })).status !== 200; tries++) {
    if (tries > 100) throw new Error('exchange rates were not loaded within 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }

  t = performance.now();
  const rows = makeExpenses(user.id, EXPENSES);
  const generated = ms(t);
  t = performance.now();
  await insertExpenses(databaseUrl, rows);
  console.log(`seeded ${EXPENSES} expenses: generated in ${generated}, inserted in ${ms(t)} (one batch)`);

  const list = await api('/api/expenses?limit=50', { token });
  const items = list.body as { conversionPending: boolean }[];
  const link = list.headers.get('link');
  if (list.status !== 200 || !Array.isArray(items) || items.length !== 50 || !link) {
    throw new Error(`list check failed: ${list.status}, ${Array.isArray(items) ? items.length : '?'} items, Link ${link}`);
  }
  const pending = items.filter((i) => i.conversionPending).length;
  console.log(`list check: 50 items, ${pending} pending conversion, Link: ${link.slice(0, 60)}...`);
  return token;
}

function report(results: Measurement[]): boolean {
  const cols = ['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'srv CPU'];
  const rows = results.map((r) => [
    r.name,
    r.reqPerSec.toFixed(0),
    r.p50Ms.toFixed(1),
    r.p99Ms.toFixed(1),
    String(r.requests),
    String(r.non2xx),
    String(r.errors + r.timeouts),
    `${r.serverCpuPct.toFixed(0)}%`,
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${CONNECTIONS} connections, ${DURATION_S} s each after ${WARMUP_S} s warm-up\n`);
  console.log(line(cols));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));

  const [health, list] = [results[0]!, results[1]!];
  const share = list.reqPerSec / health.reqPerSec;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  console.log('\ntargets');
  console.log(
    `  list req/s / health req/s = ${(share * 100).toFixed(1)}%  (target >= ${TARGET_LIST_SHARE * 100}%)  ${verdict(share >= TARGET_LIST_SHARE)}`,
  );
  console.log(`  list p99 = ${list.p99Ms.toFixed(1)} ms  (target < ${TARGET_LIST_P99_MS} ms)  ${verdict(list.p99Ms < TARGET_LIST_P99_MS)}`);

  const failed = results.filter((r) => r.non2xx + r.errors + r.timeouts > 0);
  for (const r of failed) console.log(`  ${r.name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts; status codes ${JSON.stringify(r.statusCodes)}`);
  return failed.length === 0;
}

async function main(): Promise<number> {
  const token = await setUp();
  const auth = { authorization: `Bearer ${token}` };
  const results: Measurement[] = [];
  for (const scenario of [
    { name: 'GET /health', path: '/health' },
    { name: 'GET /api/expenses?limit=50', path: '/api/expenses?limit=50', headers: auth },
    {
      name: 'POST /api/expenses',
      path: '/api/expenses',
      method: 'POST' as const,
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Bench', amount: 12.34, currency: 'USD', category: 'food', date: '2025-05-01' }),
    },
  ]) {
    console.log(`running ${scenario.name} ...`);
    results.push(await measure(server!.baseUrl, server!.pid, scenario));
    if (server!.exited()) throw new Error(`server exited during ${scenario.name}: ${JSON.stringify(server!.exited())}`);
  }
  const clean = report(results);
  const mem = memoryOf(server!.pid);
  if (mem) console.log(`\nserver memory after the run: RSS ${mem.rssMb.toFixed(0)} MB, peak RSS ${mem.peakMb.toFixed(0)} MB`);
  const log = server!.output().trim();
  if (log) console.log(`\nserver log:\n${log}`);
  return clean ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error('bench failed:', err instanceof Error ? err.message : err);
  const log = server?.output().trim();
  if (log) console.error(`server log:\n${log}`);
} finally {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
