/**
 * Throughput and latency of the Node host (`npm run bench`): a real server process on a temp
 * database with one user holding 10,000 expenses (and one with 100,000 for the planning reads,
 * bench/planning.ts), loaded with autocannon; then realtime fan-out over 200 sockets
 * (bench/sync.ts), receipt readings on a fresh server (bench/receipts.ts) and email delivery of
 * 10,000 queued messages to the Postmark stand-in (bench/delivery.ts). Not a test: it
 * prints PASS/MISS per target and exits 0 either way, unless the server failed (it died, or
 * answered other than expected). Every figure is also stated as a share of a bare node:http
 * server run interleaved with ours (bench/floor.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS, measure, WARMUP_S, type Measurement, type Scenario } from './load.ts';
import { insertExpenses, makeExpenses, sealSeeded } from './seed.ts';
import { groupScenarios, setUpGroup } from './groups.ts';
import { planningScenarios, setUpHeavyUser, TARGET_P99_MS } from './planning.ts';
import type { NodeHost } from '../tests/support/node-host.ts';
import { memoryOf, pinning, startFloor, startServer, startStorageAlone, type Floor } from './server.ts';
import { runSyncBench } from './sync.ts';
import { measureReceipts, reportReceipts } from './receipts.ts';
import { measureDelivery, reportDelivery } from './delivery.ts';

const EXPENSES = 10_000;
const HEALTH = 'GET /health';
const LIST = 'GET /api/expenses?limit=50 (cached)';
const CREATE = 'POST /api/expenses';
// Shares of the floor's req/s (bench/floor.ts).
const TARGET_HEALTH_SHARE = 0.6;
const TARGET_LIST_SHARE = 0.35;
const TARGET_CREATE_SHARE = 0.1;
const TARGET_CREATE_P99_MS = 40;

const dataDir = mkdtempSync(join(tmpdir(), 'expenseflow-bench-'));
const databaseUrl = `file:${dataDir}/bench.db`;
let server: NodeHost | undefined;
let floor: Floor | undefined;
let honoAlone: Floor | undefined;
let withHeaders: Floor | undefined;
let honoApp: Floor | undefined;
let listPage: Floor | undefined;
let storageAlone: Floor | undefined;

// Last resort on any exit path: no server left behind, no temp dir either.
process.on('exit', () => {
  floor?.stop();
  honoAlone?.stop();
  withHeaders?.stop();
  honoApp?.stop();
  listPage?.stop();
  storageAlone?.stop();
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

async function setUp(): Promise<{ token: string; heavyToken: string; group: { token: string; groupId: string } }> {
  let t = performance.now();
  server = await startServer(dataDir);
  pinning.server(server.pid);
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
  return { token, heavyToken: await setUpHeavyUser(api, databaseUrl), group: await setUpGroup(api, databaseUrl) };
}

// Each of ours in short rounds, alternating with the floor: F O F O F O F. A round's share is its
// req/s over the mean of the floor runs either side; a row states the median of its rounds, so
// one slow minute on this shared machine moves one round, not the verdict.
const ROUNDS = 5;
const ROUND_S = 3;
const ROUND_WARMUP_S = 1;

interface Row {
  /** Each round of ours, and its share of the floor. */
  rounds: { m: Measurement; share: number }[];
  /** The floor runs around them (ROUNDS + 1). */
  floors: Measurement[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const med = (r: Row, pick: (m: Measurement) => number) => median(r.rounds.map(({ m }) => pick(m)));
const share = (r: Row) => median(r.rounds.map((x) => x.share));
const sum = (r: Row, pick: (m: Measurement) => number) => r.rounds.reduce((n, { m }) => n + pick(m), 0);

function report(rows: Row[], planning: Measurement[]): boolean {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const cols = ['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'of floor', 'rounds', 'floor req/s', 'requests', 'bad status', 'errors', 'srv CPU'];
  const cells = rows.map((r) => [
    r.rounds[0]!.m.name,
    med(r, (m) => m.reqPerSec).toFixed(0),
    med(r, (m) => m.p50Ms).toFixed(1),
    med(r, (m) => m.p99Ms).toFixed(1),
    pct(share(r)),
    r.rounds.map((x) => (x.share * 100).toFixed(1)).join(' '),
    median(r.floors.map((m) => m.reqPerSec)).toFixed(0),
    String(sum(r, (m) => m.requests)),
    String(sum(r, (m) => m.unexpected)),
    String(sum(r, (m) => m.errors + m.timeouts)),
    `${med(r, (m) => m.serverCpuPct).toFixed(0)}%`,
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (cs: string[]) => cs.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    `\n${CONNECTIONS} connections; each row the median of ${ROUNDS} rounds of ${ROUND_S} s (after ${ROUND_WARMUP_S} s warm-up, the first after ${WARMUP_S} s), ` +
      `alternating with the floor (bare node:http, /health's bytes); "of floor": a round's req/s over the mean of the floor runs either side`,
  );
  console.log(line(cols));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells) console.log(line(row));

  const find = (name: string) => rows.find((r) => r.rounds[0]!.m.name === name)!;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  console.log('\ntargets (share of the floor, median of the rounds)');
  for (const [name, target] of [
    [HEALTH, TARGET_HEALTH_SHARE],
    [LIST, TARGET_LIST_SHARE],
    [CREATE, TARGET_CREATE_SHARE],
  ] as const) {
    const s = share(find(name));
    console.log(`  ${name.padEnd(36)} ${pct(s).padStart(6)}  (target >= ${pct(target)})  ${verdict(s >= target)}`);
  }
  const createP99 = med(find(CREATE), (m) => m.p99Ms);
  console.log(`  ${`${CREATE} p99`.padEnd(36)} ${`${createP99.toFixed(1)} ms`.padStart(6)}  (target < ${TARGET_CREATE_P99_MS} ms)  ${verdict(createP99 < TARGET_CREATE_P99_MS)}`);

  console.log('\nplanning and settle-up reads, one connection, no cache in front');
  for (const m of planning) {
    const target = TARGET_P99_MS[m.name as keyof typeof TARGET_P99_MS] as number | undefined;
    console.log(
      `  ${m.name.padEnd(44)} p50 ${m.p50Ms.toFixed(1)} ms, p99 ${m.p99Ms.toFixed(1)} ms, ${m.reqPerSec.toFixed(0)} req/s` +
        (target === undefined ? '' : `  (target p99 < ${target} ms)  ${verdict(m.p99Ms < target)}`),
    );
  }
  const measured = [...rows.flatMap((r) => [...r.rounds.map((x) => x.m), ...r.floors]), ...planning];
  const failed = measured.filter((m) => m.unexpected + m.errors + m.timeouts > 0);
  for (const m of failed) console.log(`  ${m.name}: ${m.unexpected} answers not ${m.expectedStatus}, ${m.errors} errors, ${m.timeouts} timeouts; status codes ${JSON.stringify(m.statusCodes)}`);
  return failed.length === 0;
}

async function main(): Promise<number> {
  pinning.loadGenerator();
  console.log(pinning.on ? 'servers pinned to CPU 0, the load generator (this process) to CPU 1 (BENCH_PIN=0: unpinned)' : 'not pinned: every process on every CPU');
  const { token, heavyToken, group } = await setUp();
  const t = performance.now();
  const sealed = await sealSeeded(databaseUrl);
  console.log(`sealed the seeding's ${sealed.toLocaleString('en')} audit rows in ${ms(t)}: the server's audit.seal job would have, during some row below`);
  const auth = { authorization: `Bearer ${token}` };
  const health = await fetch(server!.baseUrl + '/health');
  const [contentType, bytes] = [health.headers.get('content-type') ?? 'application/json', await health.text()];
  floor = await startFloor(contentType, bytes);
  honoAlone = await startFloor(contentType, bytes, 'hono');
  // The header lines ours adds to every answer (request ids, security headers), not those Node writes itself.
  const ownHeaders = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => !['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(name)));
  withHeaders = await startFloor(contentType, bytes, 'headers', ownHeaders(health));
  honoApp = await startFloor(contentType, bytes, 'app', ownHeaders(health));
  // A list page (about 25 KB) with its headers, from the bare server: what writing those bytes costs.
  const page = await fetch(server!.baseUrl + '/api/expenses?limit=50', { headers: auth });
  listPage = await startFloor(contentType, await page.text(), 'headers', ownHeaders(page));
  storageAlone = await startStorageAlone(`${dataDir}/storage-alone.db`);
  console.log(`floor (bare node:http, pid ${floor.pid}) at ${floor.baseUrl}; Hono alone (pid ${honoAlone.pid}) at ${honoAlone.baseUrl}; with our headers (pid ${withHeaders.pid}) at ${withHeaders.baseUrl}; Hono with our routes and headers (pid ${honoApp.pid}) at ${honoApp.baseUrl}; our create's storage alone (pid ${storageAlone.pid}) at ${storageAlone.baseUrl}`);
  const create = { method: 'POST', status: 201, body: JSON.stringify({ description: 'Bench', amount: 12.34, currency: 'USD', category: 'food', date: '2025-05-01' }) } as const;
  const scenarios: (Scenario & { server?: Floor })[] = [
    // Not ours: the same bytes through Hono on @hono/node-server, no middleware. The ceiling for a Hono app.
    { name: 'reference: Hono alone, same bytes', path: '/health', server: honoAlone },
    // Not ours either: the bare server also sending the header lines every answer of ours carries. What they alone cost.
    { name: 'reference: bare, same bytes + our headers', path: '/health', server: withHeaders },
    // Not ours: Hono with a route for every operation of our document and our header lines (a
    // fresh request id each time) set as ours sets them. How near /health can come with them.
    { name: 'reference: Hono, our routes + headers', path: '/health', server: honoApp },
    { name: HEALTH, path: '/health' },
    { name: 'GET /api/no-such-route (404, no token)', path: '/api/no-such-route', status: 404 },
    // Not ours: the same page's bytes and headers from the bare server. The ceiling for the list.
    { name: "reference: bare, a list page's bytes", path: '/', server: listPage },
    { name: LIST, path: '/api/expenses?limit=50', headers: auth },
    // A new query string per request: the page cache never answers, SQLite and the JSON do.
    { name: 'GET /api/expenses?limit=50 uncached', path: '/api/expenses?limit=50', headers: auth, uniqueQuery: true },
    // Not ours: a bare server storing each create through our create path and database (WAL,
    // synchronous=FULL, group commit), no HTTP stack. The ceiling for the create.
    { name: "reference: bare, our create's storage alone", path: '/api/expenses', ...create, headers: { 'content-type': 'application/json' }, server: storageAlone },
    { name: CREATE, path: '/api/expenses', ...create, headers: { ...auth, 'content-type': 'application/json' } },
    // The same check on a server that has just taken a burst of writes, as a live one has: the
    // first row measures a server that has served only reads.
    { name: 'GET /health, after the writes above', path: '/health' },
  ];
  // Interleaved (floor, ours, floor, ours, …, floor): each round of ours is set against the floor
  // measured right before and right after it, so a slow minute on a shared machine hits both.
  const floorRun = () => measure(floor!.baseUrl, floor!.pid, { name: 'floor: bare node:http /health bytes', path: '/health' }, { durationS: ROUND_S, warmupS: ROUND_WARMUP_S });
  const rows: Row[] = [];
  let before = await floorRun();
  for (const scenario of scenarios) {
    console.log(`running ${scenario.name} (${ROUNDS} rounds) ...`);
    const target = scenario.server ?? server!;
    const row: Row = { rounds: [], floors: [before] };
    for (let i = 0; i < ROUNDS; i++) {
      // The first round warms up until the JIT has settled on a new path (WARMUP_S), and the page cache.
      const m = await measure(target.baseUrl, target.pid, scenario, { durationS: ROUND_S, warmupS: i === 0 ? WARMUP_S : ROUND_WARMUP_S });
      if (server!.exited()) throw new Error(`server exited during ${scenario.name}: ${JSON.stringify(server!.exited())}`);
      const after = await floorRun();
      row.rounds.push({ m, share: m.reqPerSec / ((before.reqPerSec + after.reqPerSec) / 2) });
      row.floors.push(after);
      before = after;
    }
    rows.push(row);
  }
  const planning: Measurement[] = [];
  for (const scenario of [...planningScenarios(heavyToken), ...groupScenarios(group)]) {
    console.log(`running ${scenario.name} ...`);
    planning.push(await measure(server!.baseUrl, server!.pid, scenario));
  }
  const clean = report(rows, planning);
  const mem = memoryOf(server!.pid);
  if (mem) console.log(`\nserver memory after the run: RSS ${mem.rssMb.toFixed(0)} MB, peak RSS ${mem.peakMb.toFixed(0)} MB`);
  const log = server!.output().trim();
  if (log) console.log(`\nserver log:\n${log}`);
  await server!.stop();
  pinning.release();
  // Each on its own server once ours is stopped: the fan-out with the inspector (for a memory
  // figure), the receipts fresh (the first upload meets a cold OCR pool).
  console.log('\nrunning realtime fan-out (200 sockets, 1,000 writes) ...');
  const synced = await runSyncBench();
  console.log('\nrunning receipt readings ...');
  const read = reportReceipts(await measureReceipts());
  console.log('\nrunning email delivery (10,000 queued messages) ...');
  const delivered = reportDelivery(await measureDelivery());
  return clean && synced && read && delivered ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error('bench failed:', err instanceof Error ? err.message : err);
  const log = server?.output().trim();
  if (log) console.error(`server log:\n${log}`);
} finally {
  floor?.stop();
  honoAlone?.stop();
  withHeaders?.stop();
  honoApp?.stop();
  listPage?.stop();
  storageAlone?.stop();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
