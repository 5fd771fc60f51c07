/**
 * Realtime sync on the edge host: the Worker inside workerd against sqld, each user's room a
 * Durable Object (durable-objects/sync-room.ts) with hibernatable WebSockets. Real sockets
 * from the upgrade answers; the room is made to hibernate with `evictDurableObject`.
 */
import { createClient } from '@libsql/client';
import { env, exports } from 'cloudflare:workers';
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import type { SyncRoom } from '../../durable-objects/sync-room.ts';
import { workerApi } from './worker-api.ts';

const api = workerApi();
const rooms = (env as unknown as { SYNC_ROOM: DurableObjectNamespace<SyncRoom> }).SYNC_ROOM;
const roomOf = (userId: string) => rooms.get(rooms.idFromName(userId));

type Message = { type: string; [key: string]: any };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ticketFor(token: string): Promise<string> {
  const res = await api.post<{ ticket: string }>('/api/sync/ticket', undefined, token);
  expect(res.status).toBe(201);
  return res.body.ticket;
}

/** The upgrade's answer: its status, and the socket when it is a 101. */
async function open(query: string) {
  const res = await exports.default.fetch(new Request(`http://example.com/api/sync/ws?${query}`, { headers: { upgrade: 'websocket' } }));
  const ws = res.webSocket;
  const messages: Message[] = [];
  if (ws) {
    ws.accept();
    ws.addEventListener('message', (e) => {
      messages.push(JSON.parse(String(e.data)));
    });
  }
  const waitFor = async (pred: (m: Message) => boolean, count = 1, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (messages.filter(pred).length < count) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(messages)}`);
      await sleep(10);
    }
    return messages.filter(pred);
  };
  const send = (m: unknown) => ws!.send(typeof m === 'string' ? m : JSON.stringify(m));
  return { status: res.status, ws, messages, waitFor, send };
}

async function connect(token: string, deviceId: string, since?: number) {
  const s = await open(`ticket=${await ticketFor(token)}&deviceId=${deviceId}${since === undefined ? '' : `&since=${since}`}`);
  expect(s.status).toBe(101);
  if (since !== undefined) await s.waitFor((m) => m.type === 'sync_data' && !m.hasMore);
  else {
    s.send({ type: 'ping' });
    await s.waitFor((m) => m.type === 'pong');
  }
  return s;
}

const write = (token: string, deviceId: string, method: string, path: string, body?: unknown) =>
  api.call(method, path, { token, headers: { 'x-device-id': deviceId }, ...(body !== undefined && { body }) });

const entityEvents = (s: { messages: Message[] }) => s.messages.filter((m) => /^(expense|category|settings|budget)_/.test(m.type));

describe('sync on workerd: the change log', () => {
  it('logs concurrent writes gap-free and pulls them in order', async () => {
    const alice = await api.register(`alice-${crypto.randomUUID()}@example.com`, 'Alice');
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.call('POST', '/api/expenses', { token: alice.token, headers: { 'x-device-id': 'edge' }, body: { description: `e${i}`, amount: i + 1, category: 'food' } }),
      ),
    );
    expect(made.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect((await api.put(`/api/expenses/${made[0]!.body._id}`, { amount: 9 }, alice.token)).status).toBe(200);
    expect((await api.del(`/api/expenses/${made[1]!.body._id}`, alice.token)).status).toBe(200);
    const pulled = await api.get('/api/sync/pull?since=0', alice.token);
    expect(pulled.status).toBe(200);
    expect(pulled.body.changes.map((c: { seq: number }) => c.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(pulled.body.changes.slice(8).map((c: { op: string; version: number }) => [c.op, c.version])).toEqual([
      ['UPDATE', 2],
      ['DELETE', 2],
    ]);
    expect(pulled.body.changes[0].deviceId).toBe('edge');
    expect(pulled.body).toMatchObject({ nextSeq: 10, hasMore: false });
  });
});

describe('sync on workerd: offline deltas over sqld', () => {
  const delta = (token: string, deviceId: string, operations: unknown) => write(token, deviceId, 'POST', '/api/sync/delta', { operations });

  it('applies the same delta sent twice at once only once, and plans again when its expense changes under it', async () => {
    const alice = await api.register();
    const ops = [{ opId: 'race', op: 'create', entity: 'expense', data: { description: 'Raced', amount: 1, category: 'food' } }];
    const [a, b] = await Promise.all([delta(alice.token, 'phone', ops), delta(alice.token, 'phone', ops)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    const id = a.body.results[0].id as string;

    const edits = await Promise.all(
      Array.from({ length: 4 }, (_, i) => delta(alice.token, `dev${i}`, [{ opId: 'edit', op: 'update', entity: 'expense', id, version: 1, data: { notes: `from ${i}` } }])),
    );
    const ok = edits.filter((r) => r.status === 200);
    expect(edits.filter((r) => r.status !== 200).map((r) => r.body.code)).toEqual(Array(4 - ok.length).fill('SYNC_CONTENDED'));
    expect(ok.map((r) => r.body.results[0].current.version).sort()).toEqual(Array.from({ length: ok.length }, (_, i) => i + 2));
    for (const r of ok) {
      const [result] = r.body.results;
      expect([result.status, result.conflict?.serverVersion ?? null]).toEqual(result.current.version === 2 ? ['applied', null] : ['merged', result.current.version - 1]);
    }
    const pulled = await api.get('/api/sync/pull?since=0', alice.token);
    expect(pulled.body.changes.map((c: { seq: number }) => c.seq)).toEqual(Array.from({ length: 1 + ok.length }, (_, i) => i + 1));
  });
});

describe('sync on workerd: a Durable Object room per user', () => {
  it('sends a change to the user’s other devices only: not back to its device, never to another user', async () => {
    const alice = await api.register();
    const bob = await api.register();
    const a = await connect(alice.token, 'A');
    const b = await connect(alice.token, 'B');
    const c = await connect(bob.token, 'B');
    const created = await write(alice.token, 'A', 'POST', '/api/expenses', { description: 'Coffee', amount: 3.5, category: 'food' });
    expect(created.status).toBe(201);
    const [event] = await b.waitFor((m) => m.type === 'expense_created');
    expect(event!.change).toMatchObject({ entity: 'expense', entityId: created.body._id, op: 'CREATE', version: 1, deviceId: 'A' });
    expect(event!.change.data).toMatchObject({ description: 'Coffee', amount: 3.5 });

    expect((await write(alice.token, 'B', 'PUT', `/api/expenses/${created.body._id}`, { amount: 4 })).status).toBe(200);
    const [update] = await a.waitFor((m) => m.type === 'expense_updated');
    expect(update!.change).toMatchObject({ version: 2, deviceId: 'B', data: { amount: 4 } });
    await sleep(200);
    expect(entityEvents(a).map((m) => m.type)).toEqual(['expense_updated']);
    expect(entityEvents(b).map((m) => m.type)).toEqual(['expense_created']);
    expect(c.messages.filter((m) => m.type !== 'pong')).toEqual([]);
    for (const s of [a, b, c]) s.ws!.close();
  });

  it('gives a device that reconnects with since exactly the 20 changes it missed, in order, then live ones', async () => {
    const alice = await api.register();
    const b = await connect(alice.token, 'B', 0);
    const first = await write(alice.token, 'A', 'POST', '/api/expenses', { description: 'seen', amount: 1, category: 'food' });
    const [seen] = await b.waitFor((m) => m.type === 'expense_created');
    const since = seen!.change.seq as number;
    b.ws!.close();

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
    await write(alice.token, 'A', 'POST', '/api/expenses', { description: 'live', amount: 1, category: 'food' });
    const [live] = await back.waitFor((m) => m.type === 'expense_created');
    expect(live!.change.seq).toBe(since + 21);
    await sleep(200);
    expect(entityEvents(back)).toHaveLength(1);
    back.ws!.close();
  });

  it('wakes a hibernated room with its sockets attached: fan-out, no echo, nothing doubled, each device from where it was', async () => {
    const alice = await api.register();
    const a = await connect(alice.token, 'A');
    const b = await connect(alice.token, 'B');
    const before = await write(alice.token, 'A', 'POST', '/api/expenses', { description: 'before', amount: 1, category: 'food' });
    await b.waitFor((m) => m.type === 'expense_created');

    const stub = roomOf(alice.id);
    // A marker on the instance: gone once the room has hibernated and woken as a new instance.
    await runInDurableObject(stub, (room: SyncRoom) => {
      (room as unknown as { marked?: boolean }).marked = true;
    });
    await evictDurableObject(stub, { webSockets: 'hibernate' });

    // The commit's RPC wakes the room; it rebuilds both members from their attachments.
    const after = await write(alice.token, 'A', 'PUT', `/api/expenses/${before.body._id}`, { amount: 2 });
    expect(after.status).toBe(200);
    const [update] = await b.waitFor((m) => m.type === 'expense_updated');
    expect(update!.change).toMatchObject({ entityId: before.body._id, version: 2, deviceId: 'A' });
    expect(await runInDurableObject(stub, (room: SyncRoom) => (room as unknown as { marked?: boolean }).marked)).toBeUndefined();
    expect(await runInDurableObject(stub, (_room, state) => state.getWebSockets().length)).toBe(2);

    // Again asleep; now B writes and A, woken from its attachment, gets it once.
    await evictDurableObject(stub, { webSockets: 'hibernate' });
    expect((await write(alice.token, 'B', 'DELETE', `/api/expenses/${before.body._id}`)).status).toBe(200);
    await a.waitFor((m) => m.type === 'expense_deleted');
    await sleep(200);
    expect(entityEvents(a).map((m) => m.type)).toEqual(['expense_deleted']);
    expect(entityEvents(b).map((m) => m.type)).toEqual(['expense_created', 'expense_updated']);

    // A client message wakes it too: a sync_request after hibernation answers from the log.
    await evictDurableObject(stub, { webSockets: 'hibernate' });
    a.send({ type: 'sync_request', since: 0 });
    const [page] = await a.waitFor((m) => m.type === 'sync_data');
    expect(page!.changes.map((c: { op: string }) => c.op)).toEqual(['CREATE', 'UPDATE', 'DELETE']);
    expect(a.ws!.readyState).toBe(WebSocket.READY_STATE_OPEN);
    a.ws!.close();
    b.ws!.close();
  });

  it('pushes a new in-app notification to every device of its user through the room, and to no other user', async () => {
    const alice = await api.register();
    const bob = await api.register();
    const a = await connect(alice.token, 'A');
    const b = await connect(alice.token, 'B');
    const c = await connect(bob.token, 'A');
    expect((await api.post('/api/budgets', { name: 'Food', amount: 10, period: 'monthly', category: 'food' }, alice.token)).status).toBe(201);
    expect((await write(alice.token, 'A', 'POST', '/api/expenses', { description: 'Feast', amount: 20, category: 'food' })).status).toBe(201);
    const [pushed] = await a.waitFor((m) => m.type === 'notification');
    await b.waitFor((m) => m.type === 'notification');
    const listed = await api.get('/api/notifications', alice.token);
    expect(JSON.stringify(listed.body)).toContain(pushed!.notification._id);
    await sleep(200);
    expect(c.messages.filter((m) => m.type !== 'pong')).toEqual([]);
    for (const s of [a, b, c]) s.ws!.close();
  });

  it('refuses a missing, forged, used or expired ticket with a 401 before the upgrade', async () => {
    const alice = await api.register();
    expect((await open('deviceId=A')).status).toBe(401);
    expect((await open('ticket=forged-ticket-0000000000000000000000000000&deviceId=A')).status).toBe(401);
    const ticket = await ticketFor(alice.token);
    const first = await open(`ticket=${ticket}&deviceId=A`);
    expect(first.status).toBe(101);
    expect((await open(`ticket=${ticket}&deviceId=B`)).status).toBe(401);
    expect((await open(`ticket=${alice.token}&deviceId=A`)).status).toBe(401);
    expect((await open(`ticket=${await ticketFor(alice.token)}&deviceId=${'x'.repeat(65)}`)).status).toBe(400);

    // Expired: a real ticket whose minute has passed (moved back in the database itself).
    const expired = await ticketFor(alice.token);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(expired)));
    const hash = btoa(String.fromCharCode(...digest)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const db = createClient({ url: inject('sqldUrl') });
    try {
      const moved = await db.execute({ sql: 'update sync_ticket set expires_at = ? where hash = ?', args: [new Date(Date.now() - 1000).toISOString(), hash] });
      expect(moved.rowsAffected).toBe(1);
    } finally {
      db.close();
    }
    expect((await open(`ticket=${expired}&deviceId=A`)).status).toBe(401);
    first.ws!.close();
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
    expect(s.ws!.readyState).toBe(WebSocket.READY_STATE_OPEN);
    s.send({ type: 'sync_request', since: 0 });
    const [page] = await s.waitFor((m) => m.type === 'sync_data');
    expect(page).toMatchObject({ changes: [], nextSeq: 0, hasMore: false });
    s.ws!.close();
  });
});
