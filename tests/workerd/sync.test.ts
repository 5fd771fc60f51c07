/**
 * The change log on the edge host, over sqld's remote protocol: each write's batch logs its
 * change (seq gap-free, in order), and GET /api/sync/pull reads it. The Worker has no realtime
 * transport yet (a Durable Object per user, SYNC-STATUS.md): its socket route says so with a 503.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';

const api = apiClient({ request: (path, init) => exports.default.fetch(new Request(`http://example.com${path}`, init)) });

describe('sync on workerd', () => {
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

  it('issues tickets, and answers the socket route with 503 until its transport exists', async () => {
    const alice = await api.register(`alice-${crypto.randomUUID()}@example.com`, 'Alice');
    const ticket = await api.post('/api/sync/ticket', undefined, alice.token);
    expect(ticket.status).toBe(201);
    const res = await api.call('GET', `/api/sync/ws?ticket=${ticket.body.ticket}&deviceId=a`, { headers: { upgrade: 'websocket' } });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('REALTIME_UNAVAILABLE');
  });
});
