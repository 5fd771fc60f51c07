/**
 * Realtime fan-out on the Node host: 20 users with 10 devices each (200 sockets, real `ws`
 * clients), then 1,000 writes (POST /api/expenses, 50 per user, the users in parallel, each
 * from its device 0). Measured: for each write and each of its user's 9 other devices, the time
 * from the write's HTTP response to that device's `expense_created` event (p50, p99; an event
 * that beats the response counts as 0 ms, and how many did is said), the same from the moment
 * the request was sent (which includes the write itself), and the server's memory per idle
 * socket (what it holds after a full collection with the 200 sockets open, less before, over
 * 200: bench/server.ts heapOf).
 *
 * Part of `npm run bench` (bench/run.ts); alone: `node bench/sync.ts`. Its own server either
 * way, started with the inspector (for heapOf) on a fresh database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { NodeHost } from '../tests/support/node-host.ts';
import { heapOf, startServer } from './server.ts';

export const USERS = 20;
export const DEVICES_PER_USER = 10;
export const WRITES = 1_000;
export const TARGET_FANOUT_P99_MS = 50;

export interface SyncMeasurement {
  sockets: number;
  writes: number;
  /** Events expected (each write × the user's other devices) and received. */
  expected: number;
  received: number;
  /** Events that arrived before their write's HTTP response. */
  beforeResponse: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** From the moment the write was sent (its own time included). */
  fromSentP50Ms: number;
  fromSentP99Ms: number;
  /** The write's own time: sent → response. */
  writeP50Ms: number;
  writeP99Ms: number;
  /** Server memory per idle socket after a full collection, KiB. */
  kibPerSocket: number;
  writesPerSec: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function call(baseUrl: string, path: string, init: { method?: string; token?: string; body?: unknown; deviceId?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.deviceId) headers['x-device-id'] = init.deviceId;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const sent = performance.now();
  const res = await fetch(baseUrl + path, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  // The response has arrived (status and headers): the write has committed.
  const at = performance.now();
  return { status: res.status, sent, at, body: (await res.json()) as any };
}

interface Device {
  ws: WebSocket;
  deviceId: string;
  /** entityId → when its expense_created arrived. */
  seen: Map<string, number>;
}

async function openDevice(baseUrl: string, token: string, deviceId: string): Promise<Device> {
  const ticket = await call(baseUrl, '/api/sync/ticket', { method: 'POST', token });
  if (ticket.status !== 201) throw new Error(`ticket: ${ticket.status} ${JSON.stringify(ticket.body)}`);
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/sync/ws?ticket=${ticket.body.ticket}&deviceId=${deviceId}`);
  const device: Device = { ws, deviceId, seen: new Map() };
  let joined: () => void;
  const pong = new Promise<void>((r) => (joined = r));
  ws.on('message', (data) => {
    const at = performance.now();
    const m = JSON.parse(String(data));
    if (m.type === 'expense_created') device.seen.set(m.change.entityId, at);
    else if (m.type === 'pong') joined();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  // In the room once a ping is answered.
  ws.send(JSON.stringify({ type: 'ping' }));
  await pong;
  return device;
}

async function measureSync(server: NodeHost, log: (line: string) => void): Promise<SyncMeasurement> {
  const { baseUrl } = server;
  const users: { token: string; devices: Device[] }[] = [];
  for (let u = 0; u < USERS; u++) {
    const reg = await call(baseUrl, '/api/auth/register', {
      method: 'POST',
      body: { name: `Sync ${u}`, email: `sync-${u}-${Date.now()}@example.com`, password: 'bench-password-1' },
    });
    if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
    users.push({ token: reg.body.token, devices: [] });
  }
  // One device per user first and closed again: what the first socket ever loads (code, the
  // hub) is not counted as a cost per socket.
  for (const user of users) (await openDevice(baseUrl, user.token, 'warm-up')).ws.close();
  await sleep(500);
  const before = await heapOf(server);
  for (const user of users) {
    for (let d = 0; d < DEVICES_PER_USER; d++) user.devices.push(await openDevice(baseUrl, user.token, `dev-${d}`));
  }
  const sockets = USERS * DEVICES_PER_USER;
  const after = await heapOf(server);
  const kibPerSocket = (after - before) / 1024 / sockets;
  log(`sync: ${sockets} sockets open across ${USERS} users; server memory after a full collection ${(before / 2 ** 20).toFixed(1)} MB → ${(after / 2 ** 20).toFixed(1)} MB`);

  const responses = new Map<string, { sent: number; at: number; user: number }>();
  const perUser = WRITES / USERS;
  const started = performance.now();
  await Promise.all(
    users.map(async (user, u) => {
      for (let i = 0; i < perUser; i++) {
        const res = await call(baseUrl, '/api/expenses', {
          method: 'POST',
          token: user.token,
          deviceId: 'dev-0',
          body: { description: `sync bench ${u}/${i}`, amount: 1 + (i % 50), category: 'food' },
        });
        if (res.status !== 201) throw new Error(`write: ${res.status} ${JSON.stringify(res.body)}`);
        responses.set(res.body._id, { sent: res.sent, at: res.at, user: u });
      }
    }),
  );
  const writesPerSec = WRITES / ((performance.now() - started) / 1000);
  const expected = WRITES * (DEVICES_PER_USER - 1);
  const received = () => users.reduce((n, user) => n + user.devices.slice(1).reduce((m, d) => m + d.seen.size, 0), 0);
  for (let waited = 0; received() < expected && waited < 10_000; waited += 50) await sleep(50);

  const latencies: number[] = [];
  const fromSent: number[] = [];
  const writes = [...responses.values()].map((r) => r.at - r.sent).sort((a, b) => a - b);
  let beforeResponse = 0;
  let wrong = 0;
  for (const [id, { sent, at, user }] of responses) {
    users[user]!.devices.forEach((device, d) => {
      const got = device.seen.get(id);
      if (d === 0) {
        if (got !== undefined) wrong++; // an echo to the writing device
        return;
      }
      if (got === undefined) return;
      if (got < at) beforeResponse++;
      latencies.push(Math.max(0, got - at));
      fromSent.push(got - sent);
    });
  }
  // Another user's write on a device: never.
  for (const [u, user] of users.entries()) for (const d of user.devices) for (const id of d.seen.keys()) if (responses.get(id)?.user !== u) wrong++;
  for (const user of users) for (const d of user.devices) d.ws.close();
  if (wrong > 0) throw new Error(`sync: ${wrong} events reached a device they must not (an echo or another user's)`);

  latencies.sort((a, b) => a - b);
  fromSent.sort((a, b) => a - b);
  return {
    sockets,
    writes: WRITES,
    expected,
    received: latencies.length,
    beforeResponse,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? NaN,
    fromSentP50Ms: percentile(fromSent, 50),
    fromSentP99Ms: percentile(fromSent, 99),
    writeP50Ms: percentile(writes, 50),
    writeP99Ms: percentile(writes, 99),
    kibPerSocket,
    writesPerSec,
  };
}

export function reportSync(m: SyncMeasurement): boolean {
  const verdict = m.p99Ms < TARGET_FANOUT_P99_MS && m.received === m.expected ? 'PASS' : 'MISS';
  console.log(`\nrealtime fan-out: ${m.sockets} sockets, ${USERS} users × ${DEVICES_PER_USER} devices, ${m.writes} writes (${m.writesPerSec.toFixed(0)} writes/s, one writer per user)`);
  console.log(`  events received            ${m.received} of ${m.expected} (${m.beforeResponse} before their write's response, counted as 0 ms)`);
  console.log(`  response → other device    p50 ${m.p50Ms.toFixed(1)} ms, p99 ${m.p99Ms.toFixed(1)} ms, max ${m.maxMs.toFixed(1)} ms  (target p99 < ${TARGET_FANOUT_P99_MS} ms)  ${verdict}`);
  console.log(`  request sent → other device  p50 ${m.fromSentP50Ms.toFixed(1)} ms, p99 ${m.fromSentP99Ms.toFixed(1)} ms (the write itself: p50 ${m.writeP50Ms.toFixed(1)} ms, p99 ${m.writeP99Ms.toFixed(1)} ms)`);
  console.log(`  server memory per idle socket  ${m.kibPerSocket.toFixed(1)} KiB (JS heap and external memory after a full collection, over ${m.sockets} sockets)`);
  return m.received === m.expected;
}

/** Starts its own server (with the inspector, on a fresh database), measures, reports; false on a miss or failure. */
export async function runSyncBench(log: (line: string) => void = console.log): Promise<boolean> {
  const dataDir = mkdtempSync(join(tmpdir(), 'expenseflow-bench-sync-'));
  let server: NodeHost | undefined;
  try {
    server = await startServer(dataDir, { inspect: true });
    log(`sync: server up (pid ${server.pid}) at ${server.baseUrl}`);
    return reportSync(await measureSync(server, log));
  } catch (err) {
    console.error('sync bench failed:', err instanceof Error ? err.message : err);
    const out = server?.output().trim();
    if (out) console.error(`server log:\n${out}`);
    return false;
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit((await runSyncBench()) ? 0 : 1);
