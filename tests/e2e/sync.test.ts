/**
 * Realtime sync on a running host: real `ws` clients against `npm start`, `npm run start:deno`
 * and `wrangler dev` (the Worker, its rooms Durable Objects).
 */
import { describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { httpClient } from '../support/api-client.ts';
import { UNREACHABLE_URL } from '../support/rates-server.ts';
import { sharedServer, startServer } from './server.ts';

type Message = { type: string; [key: string]: any };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('realtime sync over WebSocket', () => {
  const server = sharedServer();
  const { api } = server;

  const wsUrl = (query: string) => `${server.baseUrl.replace(/^http/, 'ws')}/api/sync/ws?${query}`;

  async function ticketFor(token: string): Promise<string> {
    const res = await api.post<{ ticket: string }>('/api/sync/ticket', undefined, token);
    expect(res.status).toBe(201);
    return res.body.ticket;
  }

  /** Opens a socket; resolves once open, or with the HTTP status that refused the upgrade. */
  function open(url: string) {
    const ws = new WebSocket(url);
    const messages: Message[] = [];
    const waiters: (() => void)[] = [];
    ws.on('message', (data) => {
      messages.push(JSON.parse(String(data)));
      for (const w of waiters.splice(0)) w();
    });
    const opened = new Promise<number>((resolve, reject) => {
      ws.once('open', () => resolve(101));
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('error', (err) => (ws.readyState === WebSocket.CLOSED ? resolve(0) : reject(err)));
    });
    /** Waits until `count` messages match `pred` (a busy CI machine may take seconds; the test fails on what arrived). */
    const waitFor = async (pred: (m: Message) => boolean, count = 1, ms = 20_000) => {
      const deadline = Date.now() + ms;
      while (messages.filter(pred).length < count) {
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
      return messages.filter(pred);
    };
    return { ws, messages, opened, waitFor, send: (m: unknown) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)) };
  }

  async function connect(token: string, deviceId: string, since?: number) {
    const socket = open(wsUrl(`ticket=${await ticketFor(token)}&deviceId=${deviceId}${since === undefined ? '' : `&since=${since}`}`));
    expect(await socket.opened).toBe(101);
    if (since !== undefined) await socket.waitFor((m) => m.type === 'sync_data' && !m.hasMore);
    else {
      // Joined once a ping is answered: the room has the device.
      socket.send({ type: 'ping' });
      await socket.waitFor((m) => m.type === 'pong');
    }
    return socket;
  }

  const write = (token: string, deviceId: string, method: string, path: string, body?: unknown) =>
    api.call(method, path, { token, headers: { 'x-device-id': deviceId }, ...(body !== undefined && { body }) });

  it('sends a change to the user’s other devices only: not back to its device, never to another user', async () => {
    const alice = await api.register();
    const bob = await api.register();
    const a = await connect(alice.token, 'A');
    const b = await connect(alice.token, 'B');
    const c = await connect(bob.token, 'B');
    const sent = performance.now();
    const created = await write(alice.token, 'A', 'POST', '/api/expenses', { description: 'Coffee', amount: 3.5, category: 'food' });
    expect(created.status).toBe(201);
    const [event] = await b.waitFor((m) => m.type === 'expense_created');
    const latency = performance.now() - sent;
    expect(event!.change).toMatchObject({ entity: 'expense', entityId: created.body._id, op: 'CREATE', version: 1, deviceId: 'A' });
    expect(event!.change.data).toMatchObject({ description: 'Coffee', amount: 3.5 });
    expect(latency).toBeLessThan(1000);

    const updated = await write(alice.token, 'B', 'PUT', `/api/expenses/${created.body._id}`, { amount: 4 });
    expect(updated.status).toBe(200);
    const [update] = await a.waitFor((m) => m.type === 'expense_updated');
    expect(update!.change).toMatchObject({ version: 2, deviceId: 'B', data: { amount: 4 } });
    await sleep(300);
    expect(a.messages.filter((m) => m.type.startsWith('expense_')).map((m) => m.type)).toEqual(['expense_updated']);
    expect(b.messages.filter((m) => m.type.startsWith('expense_')).map((m) => m.type)).toEqual(['expense_created']);
    expect(c.messages.filter((m) => m.type !== 'pong')).toEqual([]);
    for (const s of [a, b, c]) s.ws.close();
  });

  it('gives a device that reconnects with since exactly the 20 changes it missed, in order, then live ones', async () => {
    const alice = await api.register();
    const b = await connect(alice.token, 'B', 0);
    const first = await write(alice.token, 'A', 'POST', '/api/expenses', { description: 'seen', amount: 1, category: 'food' });
    const [seen] = await b.waitFor((m) => m.type === 'expense_created');
    const since = seen!.change.seq as number;
    b.ws.close();

    // 20 changes while B is away: creates, updates, a delete, a category, a settings update.
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await write(alice.token, 'A', 'POST', '/api/expenses', { description: `away ${i}`, amount: i + 1, category: 'food' })).body._id);
    for (let i = 0; i < 5; i++) expect((await write(alice.token, 'A', 'PUT', `/api/expenses/${ids[i]}`, { amount: 50 })).status).toBe(200);
    expect((await write(alice.token, 'A', 'DELETE', `/api/expenses/${first.body._id}`)).status).toBe(200);
    expect((await write(alice.token, 'A', 'POST', '/api/expenses/categories', { name: 'pets' })).status).toBe(201);
    expect((await write(alice.token, 'A', 'PATCH', '/api/auth/me', { settings: { language: 'fr' } })).status).toBe(200);

    const back = await connect(alice.token, 'B', since);
    const caughtUp = back.messages.filter((m) => m.type === 'sync_data').flatMap((m) => m.changes);
    expect(caughtUp.map((c: { seq: number }) => c.seq)).toEqual(Array.from({ length: 20 }, (_, i) => since + 1 + i));
    expect(caughtUp.map((c: { entity: string; op: string }) => `${c.entity}:${c.op}`)).toEqual([
      ...Array(12).fill('expense:CREATE'),
      ...Array(5).fill('expense:UPDATE'),
      'expense:DELETE',
      'category:CREATE',
      'settings:UPDATE',
    ]);
    // Then live, with nothing doubled.
    await write(alice.token, 'A', 'POST', '/api/expenses', { description: 'live', amount: 1, category: 'food' });
    const [live] = await back.waitFor((m) => m.type === 'expense_created');
    expect(live!.change.seq).toBe(since + 21);
    await sleep(200);
    expect(back.messages.filter((m) => m.type.startsWith('expense_'))).toHaveLength(1);
    // The same 20 by HTTP.
    const pulled = await api.get(`/api/sync/pull?since=${since}`, alice.token);
    expect(pulled.body.changes.slice(0, 20)).toEqual(caughtUp);
    back.ws.close();
  });

  it('applies an offline delta once, resolves its conflicts by the documented rule, and sends it to the other devices', async () => {
    const alice = await api.register();
    const lunch = await write(alice.token, 'B', 'POST', '/api/expenses', { description: 'Lunch', amount: 12, category: 'food' });
    const taxi = await write(alice.token, 'B', 'POST', '/api/expenses', { description: 'Taxi', amount: 30, category: 'transport' });
    const a = await connect(alice.token, 'A');
    const b = await connect(alice.token, 'B');
    // While A was offline, B changed both expenses.
    expect((await write(alice.token, 'B', 'PUT', `/api/expenses/${lunch.body._id}`, { amount: 14, merchant: 'Deli' })).status).toBe(200);
    expect((await write(alice.token, 'B', 'PUT', `/api/expenses/${taxi.body._id}`, { notes: 'airport' })).status).toBe(200);
    await a.waitFor((m) => m.type === 'expense_updated', 2);

    const operations = [
      { opId: 'a-1', op: 'create', entity: 'expense', data: { description: 'Offline coffee', amount: 3.5, category: 'food' } },
      { opId: 'a-2', op: 'update', entity: 'expense', id: lunch.body._id, version: 1, data: { amount: 15, description: 'Team lunch' } },
      { opId: 'a-3', op: 'delete', entity: 'expense', id: taxi.body._id, version: 1 },
    ];
    const sent = await write(alice.token, 'A', 'POST', '/api/sync/delta', { operations });
    expect(sent.status).toBe(200);
    const [created, merged, deleted] = sent.body.results;
    expect(created).toMatchObject({ status: 'applied', current: { version: 1, data: { description: 'Offline coffee' } } });
    // Field-level last writer wins by server time: A's fields over B's, B's merchant kept.
    expect(merged).toMatchObject({
      status: 'merged',
      conflict: { rule: 'field-last-writer-wins', baseVersion: 1, serverVersion: 2, fields: ['amount'] },
      current: { version: 3, data: { description: 'Team lunch', amount: 15, merchant: 'Deli' } },
    });
    // A delete wins over an update.
    expect(deleted).toMatchObject({ status: 'deleted', conflict: { rule: 'delete-wins', serverVersion: 2, fields: ['notes'] }, current: null });

    const events = await b.waitFor((m) => /^expense_/.test(m.type), 3);
    expect(events.map((m) => `${m.type}:${m.change.entityId}:${m.change.deviceId}`)).toEqual([
      `expense_created:${created.id}:A`,
      `expense_updated:${lunch.body._id}:A`,
      `expense_deleted:${taxi.body._id}:A`,
    ]);

    // Sent again (the answer was lost): applied once, answered as before, nothing new to B.
    const replayed = await write(alice.token, 'A', 'POST', '/api/sync/delta', { operations });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual(sent.body);
    await sleep(300);
    expect(b.messages.filter((m) => /^expense_/.test(m.type))).toHaveLength(3);
    expect(a.messages.filter((m) => /^expense_/.test(m.type)).map((m) => m.change.deviceId)).toEqual(['B', 'B']);
    expect((await api.get(`/api/expenses/${lunch.body._id}`, alice.token)).body).toMatchObject({ description: 'Team lunch', amount: 15, merchant: 'Deli', version: 3 });
    expect((await api.get(`/api/expenses/${taxi.body._id}`, alice.token)).status).toBe(404);
    const coffees = (await api.get<{ description: string }[]>('/api/expenses?limit=100', alice.token)).body.filter((e) => e.description === 'Offline coffee');
    expect(coffees).toHaveLength(1);
    a.ws.close();
    b.ws.close();
  });

  it('refuses a missing, forged or used ticket with a 401 before the upgrade', async () => {
    const alice = await api.register();
    expect(await open(wsUrl('deviceId=A')).opened).toBe(401);
    expect(await open(wsUrl('ticket=forged-ticket-0000000000000000000000000000&deviceId=A')).opened).toBe(401);
    const ticket = await ticketFor(alice.token);
    const first = open(wsUrl(`ticket=${ticket}&deviceId=A`));
    expect(await first.opened).toBe(101);
    expect(await open(wsUrl(`ticket=${ticket}&deviceId=B`)).opened).toBe(401);
    // The long-lived token is no ticket.
    expect(await open(wsUrl(`ticket=${alice.token}&deviceId=A`)).opened).toBe(401);
    // A bad device id or since is a 400.
    expect(await open(wsUrl(`ticket=${await ticketFor(alice.token)}&deviceId=${'x'.repeat(65)}`)).opened).toBe(400);
    first.ws.close();
  });

  it('answers an invalid message with an error event and keeps the socket open', async () => {
    const alice = await api.register();
    const s = await connect(alice.token, 'A');
    s.send('not json');
    s.send({ type: 'subscribe' });
    s.send({ type: 'sync_request', since: -1 });
    s.send('x'.repeat(5000));
    const errors = await s.waitFor((m) => m.type === 'error', 4);
    expect(errors.map((e) => e.code)).toEqual(['INVALID_MESSAGE', 'INVALID_MESSAGE', 'INVALID_MESSAGE', 'MESSAGE_TOO_LARGE']);
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
    s.send({ type: 'sync_request', since: 0 });
    const [page] = await s.waitFor((m) => m.type === 'sync_data');
    expect(page).toMatchObject({ changes: [], nextSeq: 0, hasMore: false });
    s.ws.close();
  });
});

// Stop signals are the embedded hosts' business: wrangler stops the Worker (as in stop.test.ts).
describe.skipIf(inject('host') === 'worker')('realtime sync on a stop signal', () => {
  it('closes every socket with 1001 (going away) and stops without waiting out the grace period', async () => {
    const server = await startServer({ EXCHANGE_RATES_URL: UNREACHABLE_URL, EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL, SHUTDOWN_GRACE_MS: '20000' });
    const api = httpClient(server.baseUrl);
    const { token } = await api.register();
    const sockets = await Promise.all(
      ['A', 'B', 'C'].map(async (deviceId) => {
        const { body } = await api.post<{ ticket: string }>('/api/sync/ticket', undefined, token);
        const ws = new WebSocket(`${server.baseUrl.replace(/^http/, 'ws')}/api/sync/ws?ticket=${body.ticket}&deviceId=${deviceId}`);
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
        return ws;
      }),
    );
    const closed = sockets.map((ws) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code))));
    const started = performance.now();
    await server.stop();
    // The test host kills the process 5 s after the signal: 'stopped' in the log means it stopped on its own.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await Promise.all(closed)).toEqual([1001, 1001, 1001]);
    expect(server.logs().some((l) => l.msg === 'stopped')).toBe(true);
  });
});
