import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { Hub, hubOf } from './hub.ts';
import { LiveRoom } from './live-room.ts';
import type { Member } from './room.ts';
import { ClientMessage, ServerMessage } from './schemas.ts';
import { consumeTicket } from './service.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A device as the room sees it, recording what it is sent (checked against the message schema). */
function device(deviceId: string) {
  const got: ServerMessage[] = [];
  const member: Member = {
    deviceId,
    send(message) {
      got.push(ServerMessage.parse(JSON.parse(JSON.stringify(message))));
    },
  };
  const events = () => got.filter((m) => m.type.endsWith('_created') || m.type.endsWith('_updated') || m.type.endsWith('_deleted'));
  const seqs = () => got.flatMap((m) => (m.type === 'sync_data' ? m.changes.map((c) => c.seq) : 'change' in m ? [m.change.seq] : []));
  return { member, got, events, seqs };
}

describe('sync plugin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });

  describe('POST /api/sync/ticket', () => {
    it('issues a single-use ticket bound to the user, valid 60 s', async () => {
      const { token, id } = await t.api.register();
      const res = await t.api.post('/api/sync/ticket', undefined, token);
      expect(res.status).toBe(201);
      expect(res.body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan(55_000);
      expect(await consumeTicket(t.platform, res.body.ticket)).toBe(id);
      expect(await consumeTicket(t.platform, res.body.ticket)).toBeNull();
      expect(await consumeTicket(t.platform, 'forged')).toBeNull();
    });

    it('refuses an expired ticket', async () => {
      let now = Date.now();
      const app = await createTestApp({ clock: { now: () => new Date(now) } });
      const { token } = await app.api.register();
      const { body } = await app.api.post('/api/sync/ticket', undefined, token);
      now += 60_001;
      expect(await consumeTicket(app.platform, body.ticket)).toBeNull();
    });

    it('needs a token', async () => {
      expect((await t.api.post('/api/sync/ticket', undefined)).status).toBe(401);
    });
  });

  describe('GET /api/sync/pull', () => {
    it('pages the changes after since, with the seq to ask from next', async () => {
      const { token } = await t.api.register();
      for (let i = 0; i < 5; i++) await t.api.post('/api/expenses', { description: `e${i}`, amount: 1, category: 'food' }, token);
      const first = await t.api.get('/api/sync/pull?since=0&limit=3', token);
      expect(first.status).toBe(200);
      expect(first.body.changes.map((c: { seq: number }) => c.seq)).toEqual([1, 2, 3]);
      expect(first.body).toMatchObject({ nextSeq: 3, hasMore: true });
      const rest = await t.api.get(`/api/sync/pull?since=${first.body.nextSeq}&limit=3`, token);
      expect(rest.body.changes.map((c: { seq: number }) => c.seq)).toEqual([4, 5]);
      expect(rest.body).toMatchObject({ nextSeq: 5, hasMore: false });
      expect((await t.api.get('/api/sync/pull?since=5', token)).body).toEqual({ changes: [], nextSeq: 5, hasMore: false });
    });

    it('answers 400 for a bad since or limit, 401 without a token', async () => {
      const { token } = await t.api.register();
      expect((await t.api.get('/api/sync/pull?since=-1', token)).status).toBe(400);
      expect((await t.api.get('/api/sync/pull?limit=501', token)).status).toBe(400);
      expect((await t.api.get('/api/sync/pull?since=1.5', token)).status).toBe(400);
      expect((await t.api.get('/api/sync/pull')).status).toBe(401);
    });
  });

  describe('GET /api/sync/ws without a WebSocket upgrade', () => {
    it('is a 400 (and a 503 where the host has no transport)', async () => {
      expect((await t.api.get('/api/sync/ws?deviceId=a&ticket=x')).status).toBe(400);
      const res = await t.app.request('/api/sync/ws?deviceId=a&ticket=x', { headers: { upgrade: 'websocket' } });
      expect(res.status).toBe(503);
    });
  });

  describe('messages', () => {
    it('are discriminated unions; invalid ones fail to parse', () => {
      expect(ClientMessage.safeParse({ type: 'sync_request', since: 3 }).success).toBe(true);
      expect(ClientMessage.safeParse({ type: 'ping' }).success).toBe(true);
      expect(ClientMessage.safeParse({ type: 'sync_request', since: -1 }).success).toBe(false);
      expect(ClientMessage.safeParse({ type: 'nope' }).success).toBe(false);
    });

    it('are components of the OpenAPI document', async () => {
      const doc = (await t.api.get('/openapi.json')).body;
      expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['SyncServerMessage', 'SyncClientMessage', 'SyncChange']));
    });
  });

  describe('the hub and its rooms (real change log)', () => {
    it('fans a change out to the user’s other devices only, in seq order', async () => {
      const alice = await t.api.register();
      const bob = await t.api.register();
      const hub = new Hub(t.platform.changes, t.platform.logger);
      const a = device('a');
      const b = device('b');
      const other = device('b');
      await hub.join(alice.id, a.member);
      await hub.join(alice.id, b.member);
      await hub.join(bob.id, other.member);
      await t.api.call('POST', '/api/expenses', { token: alice.token, headers: { 'x-device-id': 'a' }, body: { description: 'x', amount: 1, category: 'food' } });
      await t.api.call('POST', '/api/expenses', { token: alice.token, headers: { 'x-device-id': 'b' }, body: { description: 'y', amount: 2, category: 'food' } });
      await Promise.all([hub.notify(alice.id), hub.notify(bob.id)]);
      expect(a.events().map((m) => [m.type, 'change' in m && m.change.seq])).toEqual([['expense_created', 2]]);
      expect(b.events().map((m) => [m.type, 'change' in m && m.change.seq])).toEqual([['expense_created', 1]]);
      expect(other.got).toEqual([]);
    });

    it('catches a device up from since, then live, with nothing missed or doubled while writes go on', async () => {
      const u = await t.api.register();
      const hub = new Hub(t.platform.changes, t.platform.logger);
      const write = (i: number) => t.api.post('/api/expenses', { description: `w${i}`, amount: 1, category: 'food' }, u.token).then(() => hub.notify(u.id));
      for (let i = 0; i < 30; i++) await write(i);
      const watcher = device('watcher');
      await hub.join(u.id, watcher.member);
      // Writes before, during and after the catch-up of a device that holds seq 5.
      const late = device('late');
      const writes = Array.from({ length: 30 }, (_, i) => write(30 + i));
      const joined = hub.join(u.id, late.member, 5);
      await Promise.all([...writes, joined]);
      await hub.notify(u.id);
      await sleep(10);
      expect(late.seqs()).toEqual(Array.from({ length: 55 }, (_, i) => i + 6));
      expect(late.got.find((m) => m.type === 'sync_data')).toBeDefined();
      expect(watcher.seqs()).toEqual(Array.from({ length: 30 }, (_, i) => i + 31));
    });

    it('rebuilds a room from its members’ last seqs (a Durable Object after hibernation): each gets only what it lacks', async () => {
      const u = await t.api.register();
      for (let i = 0; i < 5; i++) await t.api.post('/api/expenses', { description: `h${i}`, amount: 1, category: 'food' }, u.token);
      // As the attachments said: one device held seq 2, the other seq 4; the room resumes after the lower.
      const behind = device('behind');
      const ahead = device('ahead');
      const moved: Record<string, number[]> = { behind: [], ahead: [] };
      for (const d of [behind, ahead]) d.member.advanced = (seq) => moved[d.member.deviceId]!.push(seq);
      const live = new LiveRoom(u.id, t.platform.changes, t.platform.logger, 2);
      live.restore(behind.member, 2);
      live.restore(ahead.member, 4);
      await t.api.post('/api/expenses', { description: 'after', amount: 1, category: 'food' }, u.token);
      await live.notify();
      expect(behind.seqs()).toEqual([3, 4, 5, 6]);
      expect(ahead.seqs()).toEqual([5, 6]);
      // What a Durable Object writes into each socket's attachment.
      expect(moved).toEqual({ behind: [6], ahead: [6] });
    });

    it('does not let a since past the end of the log hide live changes', async () => {
      const u = await t.api.register();
      const hub = new Hub(t.platform.changes, t.platform.logger);
      await t.api.post('/api/expenses', { description: 'one', amount: 1, category: 'food' }, u.token);
      const d = device('d');
      await hub.join(u.id, d.member, 1000);
      await t.api.post('/api/expenses', { description: 'two', amount: 1, category: 'food' }, u.token);
      await hub.notify(u.id);
      expect(d.events().map((m) => 'change' in m && m.change.seq)).toEqual([2]);
    });

    it('pushes a new in-app notification to every connected device of its user, as the app delivers it', async () => {
      const u = await t.api.register();
      const other = await t.api.register();
      const hub = hubOf(t.platform);
      const a = device('a');
      const stranger = device('a');
      await hub.join(u.id, a.member);
      await hub.join(other.id, stranger.member);
      expect((await t.api.post('/api/budgets', { name: 'Food', amount: 10, period: 'monthly', category: 'food' }, u.token)).status).toBe(201);
      expect((await t.api.post('/api/expenses', { description: 'Feast', amount: 20, category: 'food' }, u.token)).status).toBe(201);
      for (let i = 0; i < 100 && !a.got.some((m) => m.type === 'notification'); i++) await sleep(20);
      const pushed = a.got.filter((m) => m.type === 'notification');
      expect(pushed.length).toBeGreaterThan(0);
      const listed = await t.api.get('/api/notifications', u.token);
      expect(listed.body.data ?? listed.body).toEqual(expect.arrayContaining([expect.objectContaining(pushed[0]!.type === 'notification' ? { _id: pushed[0]!.notification._id } : {})]));
      expect(stranger.got.filter((m) => m.type === 'notification')).toEqual([]);
      hub.leave(u.id, a.member);
      hub.leave(other.id, stranger.member);
    });

    it('sends a catch-up in pages of at most 500 with the seq to ask from next', async () => {
      const u = await t.api.register();
      const hub = new Hub(t.platform.changes, t.platform.logger);
      // 501 changes in a few batches of creates at once.
      for (let k = 0; k < 3; k++) {
        await Promise.all(Array.from({ length: 167 }, (_, i) => t.api.post('/api/expenses', { description: `p${k}-${i}`, amount: 1, category: 'food' }, u.token)));
      }
      const d = device('d');
      await hub.join(u.id, d.member, 0);
      const pages = d.got.filter((m) => m.type === 'sync_data');
      expect(pages.map((p) => [p.changes.length, p.nextSeq, p.hasMore])).toEqual([
        [500, 500, true],
        [1, 501, false],
      ]);
    });
  });
});
