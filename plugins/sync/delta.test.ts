import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { hubOf } from './hub.ts';
import type { Member } from './room.ts';
import type { ServerMessage } from './schemas.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('POST /api/sync/delta', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });

  const delta = (token: string | undefined, deviceId: string | null, operations: unknown) =>
    t.api.call('POST', '/api/sync/delta', { token, headers: deviceId ? { 'x-device-id': deviceId } : {}, body: { operations } });
  const put = (token: string, deviceId: string, id: string, body: unknown) => t.api.call('PUT', `/api/expenses/${id}`, { token, headers: { 'x-device-id': deviceId }, body });
  const create = async (token: string, body: Record<string, unknown> = {}) => {
    const res = await t.api.post('/api/expenses', { description: 'Lunch', amount: 12, category: 'food', ...body }, token);
    expect(res.status).toBe(201);
    return res.body as { _id: string; version: number };
  };
  const lastSeq = async (token: string) => {
    let since = 0;
    for (;;) {
      const page = await t.api.get(`/api/sync/pull?since=${since}&limit=500`, token);
      since = page.body.nextSeq;
      if (!page.body.hasMore) return since;
    }
  };

  it('applies creates, updates and deletes together and answers each with the server’s state', async () => {
    const u = await t.api.register();
    const kept = await create(u.token);
    const gone = await create(u.token, { description: 'Taxi', category: 'transport' });
    const before = await lastSeq(u.token);
    const res = await delta(u.token, 'phone', [
      { opId: 'op-1', op: 'create', entity: 'expense', data: { description: 'Offline coffee', amount: 3.2, category: 'food', date: '2026-11-20' } },
      { opId: 'op-2', op: 'update', entity: 'expense', id: kept._id, version: 1, data: { amount: 15, notes: 'with tip' } },
      { opId: 'op-3', op: 'delete', entity: 'expense', id: gone._id, version: 1 },
    ]);
    expect(res.status).toBe(200);
    const [created, updated, deleted] = res.body.results;
    expect(created).toMatchObject({ opId: 'op-1', op: 'create', entity: 'expense', status: 'applied', conflict: null, seq: before + 1 });
    expect(created.current).toMatchObject({ version: 1, data: { _id: created.id, description: 'Offline coffee', amount: 3.2, date: '2026-11-20T00:00:00.000Z' } });
    expect(updated).toMatchObject({ opId: 'op-2', id: kept._id, status: 'applied', conflict: null, seq: before + 2, current: { version: 2, data: { amount: 15, notes: 'with tip', description: 'Lunch' } } });
    expect(deleted).toEqual({ opId: 'op-3', op: 'delete', entity: 'expense', id: gone._id, status: 'applied', conflict: null, current: null, seq: before + 3 });

    // What the user reads, and what the other devices are sent, agree.
    expect((await t.api.get(`/api/expenses/${created.id}`, u.token)).body).toMatchObject({ description: 'Offline coffee', version: 1 });
    expect((await t.api.get(`/api/expenses/${kept._id}`, u.token)).body).toMatchObject({ amount: 15, notes: 'with tip', version: 2 });
    expect((await t.api.get(`/api/expenses/${gone._id}`, u.token)).status).toBe(404);
    const pulled = await t.api.get(`/api/sync/pull?since=${before}`, u.token);
    expect(pulled.body.changes.map((c: { op: string; deviceId: string }) => `${c.op}:${c.deviceId}`)).toEqual(['CREATE:phone', 'UPDATE:phone', 'DELETE:phone']);
  });

  it('applies a repeated operation id once and answers it as the first time', async () => {
    const u = await t.api.register();
    const e = await create(u.token);
    const ops = [
      { opId: 'a1', op: 'create', entity: 'expense', data: { description: 'Once', amount: 5, category: 'food' } },
      { opId: 'a2', op: 'update', entity: 'expense', id: e._id, version: 1, data: { description: 'Renamed' } },
    ];
    const first = await delta(u.token, 'laptop', ops);
    expect(first.status).toBe(200);
    const seq = await lastSeq(u.token);
    // Another device changes the expense meanwhile: the replay still answers as before.
    expect((await put(u.token, 'phone', e._id, { amount: 99 })).status).toBe(200);

    const again = await delta(u.token, 'laptop', ops);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await lastSeq(u.token)).toBe(seq + 1);
    const list = await t.api.get('/api/expenses?limit=100', u.token);
    expect(list.body.filter((x: { description: string }) => x.description === 'Once')).toHaveLength(1);

    // A known id next to a new one: the known one answered from before, the new one applied.
    const mixed = await delta(u.token, 'laptop', [ops[0], { opId: 'a3', op: 'delete', entity: 'expense', id: e._id, version: 3 }]);
    expect(mixed.body.results[0]).toEqual(first.body.results[0]);
    expect(mixed.body.results[1]).toMatchObject({ opId: 'a3', status: 'applied', current: null });

    // Operation ids are per device: the same id from another device is another operation.
    const other = await delta(u.token, 'tablet', [ops[0]]);
    expect(other.body.results[0].id).not.toBe(first.body.results[0].id);
  });

  it('applies the same delta sent twice at once only once', async () => {
    const u = await t.api.register();
    const ops = [{ opId: 'race', op: 'create', entity: 'expense', data: { description: 'Raced', amount: 1, category: 'food' } }];
    const [a, b] = await Promise.all([delta(u.token, 'phone', ops), delta(u.token, 'phone', ops)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    const list = await t.api.get('/api/expenses?limit=100', u.token);
    expect(list.body.filter((x: { description: string }) => x.description === 'Raced')).toHaveLength(1);
  });

  it('merges a stale update field by field: its fields win, the server keeps the others, and says which it overwrote', async () => {
    const u = await t.api.register();
    const e = await create(u.token, { description: 'Dinner', amount: 40 });
    // The phone changes the amount and the merchant while the laptop is offline.
    expect((await put(u.token, 'phone', e._id, { amount: 45, merchant: 'Bistro' })).status).toBe(200);
    const res = await delta(u.token, 'laptop', [{ opId: 'l1', op: 'update', entity: 'expense', id: e._id, version: 1, data: { description: 'Team dinner', amount: 50 } }]);
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({
      status: 'merged',
      conflict: { rule: 'field-last-writer-wins', baseVersion: 1, serverVersion: 2, fields: ['amount'] },
      current: { version: 3, data: { description: 'Team dinner', amount: 50, merchant: 'Bistro' } },
    });
    expect((await t.api.get(`/api/expenses/${e._id}`, u.token)).body).toMatchObject({ description: 'Team dinner', amount: 50, merchant: 'Bistro', version: 3 });
  });

  it('lets a delete win over an update, both ways, and reports it with the server’s state', async () => {
    const u = await t.api.register();
    const edited = await create(u.token, { description: 'Edited elsewhere' });
    const removed = await create(u.token, { description: 'Deleted elsewhere' });
    expect((await put(u.token, 'phone', edited._id, { amount: 20 })).status).toBe(200);
    expect((await t.api.call('DELETE', `/api/expenses/${removed._id}`, { token: u.token, headers: { 'x-device-id': 'phone' } })).status).toBe(200);
    const before = await lastSeq(u.token);

    const res = await delta(u.token, 'laptop', [
      { opId: 'd1', op: 'delete', entity: 'expense', id: edited._id, version: 1 },
      { opId: 'd2', op: 'update', entity: 'expense', id: removed._id, version: 1, data: { amount: 7 } },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      {
        opId: 'd1',
        op: 'delete',
        entity: 'expense',
        id: edited._id,
        status: 'deleted',
        conflict: { rule: 'delete-wins', baseVersion: 1, serverVersion: 2, fields: ['amount'] },
        current: null,
        seq: before + 1,
      },
      {
        opId: 'd2',
        op: 'update',
        entity: 'expense',
        id: removed._id,
        status: 'discarded',
        conflict: { rule: 'delete-wins', baseVersion: 1, serverVersion: null, fields: [] },
        current: null,
        seq: null,
      },
    ]);
    expect((await t.api.get(`/api/expenses/${edited._id}`, u.token)).status).toBe(404);
    expect((await t.api.get(`/api/expenses/${removed._id}`, u.token)).status).toBe(404);
    expect(await lastSeq(u.token)).toBe(before + 1);
  });

  it('never touches another user’s expense: to the delta it is as gone as a deleted one', async () => {
    const owner = await t.api.register();
    const stranger = await t.api.register();
    const e = await create(owner.token);
    const res = await delta(stranger.token, 'x', [
      { opId: 's1', op: 'update', entity: 'expense', id: e._id, version: 1, data: { amount: 1 } },
      { opId: 's2', op: 'delete', entity: 'expense', id: crypto.randomUUID(), version: 1 },
    ]);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['discarded', 'discarded']);
    expect((await t.api.get(`/api/expenses/${e._id}`, owner.token)).body).toMatchObject({ amount: 12, version: 1 });
  });

  it('applies nothing when one operation is invalid, and names it', async () => {
    const u = await t.api.register();
    const e = await create(u.token);
    const before = await lastSeq(u.token);
    const res = await delta(u.token, 'phone', [
      { opId: 'ok', op: 'update', entity: 'expense', id: e._id, version: 1, data: { amount: 2 } },
      { opId: 'bad', op: 'create', entity: 'expense', data: { description: 'x', amount: 1, category: 'no such category' } },
    ]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 'UNKNOWN_CATEGORY', details: [{ path: 'operations.1.data.category' }] });
    expect(await lastSeq(u.token)).toBe(before);
    expect((await t.api.get(`/api/expenses/${e._id}`, u.token)).body).toMatchObject({ amount: 12, version: 1 });
    // Not remembered either: fixed and sent again, it is applied.
    const fixed = await delta(u.token, 'phone', [{ opId: 'ok', op: 'update', entity: 'expense', id: e._id, version: 1, data: { amount: 2 } }]);
    expect(fixed.body.results[0]).toMatchObject({ status: 'applied', current: { version: 2, data: { amount: 2 } } });

    const cents = await delta(u.token, 'phone', [{ opId: 'c', op: 'create', entity: 'expense', data: { description: 'x', amount: 1.234, category: 'food' } }]);
    expect(cents.status).toBe(400);
    expect(cents.body.details[0].path).toMatch(/^operations\.0\.data\./);
  });

  it('answers 400 for a malformed delta, 401 without a token', async () => {
    const u = await t.api.register();
    const e = await create(u.token);
    const createOp = (opId: string) => ({ opId, op: 'create', entity: 'expense', data: { description: 'x', amount: 1, category: 'food' } });
    const cases: [string | null, unknown, string][] = [
      [null, [createOp('a')], 'VALIDATION_FAILED'],
      ['d', [], 'VALIDATION_FAILED'],
      ['d', Array.from({ length: 101 }, (_, i) => createOp(`o${i}`)), 'VALIDATION_FAILED'],
      ['d', [createOp('a'), createOp('a')], 'VALIDATION_FAILED'],
      ['d', [{ opId: 'u1', op: 'update', entity: 'expense', id: e._id, version: 1, data: { amount: 2 } }, { opId: 'u2', op: 'delete', entity: 'expense', id: e._id, version: 1 }], 'VALIDATION_FAILED'],
      ['d', [{ opId: 'u', op: 'update', entity: 'expense', id: e._id, version: 5, data: { amount: 2 } }], 'VALIDATION_FAILED'],
      ['d', [{ opId: 'u', op: 'update', entity: 'expense', id: e._id, version: 0, data: { amount: 2 } }], 'VALIDATION_FAILED'],
      ['d', [{ opId: 'u', op: 'update', entity: 'expense', id: e._id, version: 1, data: { owner: 'me' } }], 'VALIDATION_FAILED'],
      ['d', [{ opId: 'u', op: 'update', entity: 'expense', id: e._id, version: 1, data: {} }], 'VALIDATION_FAILED'],
      ['d', [{ ...createOp('x'), data: { description: 'x'.repeat(501), amount: 1, category: 'food' } }], 'VALIDATION_FAILED'],
      ['d', [{ ...createOp('x'), entity: 'goal' }], 'VALIDATION_FAILED'],
      ['d', [{ ...createOp('x'.repeat(65)) }], 'VALIDATION_FAILED'],
      ['bad device!', [createOp('a')], 'INVALID_DEVICE_ID'],
    ];
    for (const [device, operations, code] of cases) {
      const res = await delta(u.token, device, operations);
      expect([res.status, res.body.code, JSON.stringify(operations).slice(0, 80)]).toEqual([400, code, JSON.stringify(operations).slice(0, 80)]);
    }
    expect((await t.api.get(`/api/expenses/${e._id}`, u.token)).body.version).toBe(1);
    expect((await delta(undefined, 'd', [createOp('a')])).status).toBe(401);
  });

  it('sends the delta’s changes to the user’s other devices, not back to the one that sent it', async () => {
    const u = await t.api.register();
    const hub = hubOf(t.platform);
    const got: Record<string, ServerMessage[]> = { phone: [], laptop: [] };
    const members = Object.keys(got).map((deviceId): Member => ({ deviceId, send: (m) => got[deviceId]!.push(m) }));
    for (const m of members) await hub.join(u.id, m);
    const res = await delta(u.token, 'laptop', [{ opId: 'live', op: 'create', entity: 'expense', data: { description: 'Live', amount: 1, category: 'food' } }]);
    expect(res.status).toBe(200);
    for (let i = 0; i < 50 && got.phone!.length === 0; i++) await sleep(10);
    expect(got.phone!.map((m) => m.type)).toEqual(['expense_created']);
    expect(got.laptop).toEqual([]);
    for (const m of members) hub.leave(u.id, m);
  });

  it('keeps the log gap-free and every delta whole while other writes land at the same time', async () => {
    const u = await t.api.register();
    const e = await create(u.token);
    const results = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) =>
        delta(u.token, `dev${i}`, [
          { opId: 'c', op: 'create', entity: 'expense', data: { description: `d${i}`, amount: i + 1, category: 'food' } },
          { opId: 'n', op: 'create', entity: 'expense', data: { description: `n${i}`, amount: i + 1, category: 'food' } },
        ]),
      ),
      ...Array.from({ length: 6 }, (_, i) => put(u.token, 'web', e._id, { amount: 100 + i })),
    ]);
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const pulled = await t.api.get('/api/sync/pull?since=0&limit=500', u.token);
    const seqs = pulled.body.changes.map((c: { seq: number }) => c.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs).toHaveLength(1 + 12 + 6);
    // Each delta's two creates are adjacent in the log: one batch each.
    for (let i = 0; i < 6; i++) {
      const at = pulled.body.changes.findIndex((c: { data: { description?: string } | null }) => c.data?.description === `d${i}`);
      expect(pulled.body.changes[at + 1].data.description).toBe(`n${i}`);
    }
  });

  it('plans again when the same expense changes under a delta: every answer is the state its own write produced', async () => {
    const u = await t.api.register();
    const e = await create(u.token);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => delta(u.token, `dev${i}`, [{ opId: 'edit', op: 'update', entity: 'expense', id: e._id, version: 1, data: { notes: `from ${i}` } }])),
    );
    const ok = results.filter((r) => r.status === 200);
    // Under this much contention a delta may give up (409, to be sent again); none is half-applied.
    expect(results.filter((r) => r.status !== 200).map((r) => r.body.code)).toEqual(Array(5 - ok.length).fill('SYNC_CONTENDED'));
    expect(ok.length).toBeGreaterThan(0);
    const pulled = await t.api.get('/api/sync/pull?since=0&limit=500', u.token);
    const updates = pulled.body.changes.filter((c: { op: string }) => c.op === 'UPDATE');
    expect(updates).toHaveLength(ok.length);
    for (const r of ok) {
      const [result] = r.body.results;
      const change = updates.find((c: { seq: number }) => c.seq === result.seq);
      // The answer is the change this delta logged: its version, its notes.
      expect(result.current).toEqual({ version: change.version, data: change.data });
      expect(result.current.data.notes).toBe(`from ${change.deviceId.slice(3)}`);
      // And its report is about the state it was applied over: the first applied, the later ones merged.
      expect([result.status, result.conflict?.serverVersion ?? null]).toEqual(change.version === 2 ? ['applied', null] : ['merged', change.version - 1]);
    }
    expect(updates.map((c: { version: number }) => c.version).sort()).toEqual(Array.from({ length: ok.length }, (_, i) => i + 2));
  });
});
