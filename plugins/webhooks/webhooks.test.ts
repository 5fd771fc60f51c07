import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A receiver on loopback: answers the queued statuses in turn (then 200), records each request. */
async function startReceiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, statuses, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * The receiver's check, written from the documented scheme with node:crypto (not the server's
 * WebCrypto code): which of the header's v1= signatures match `secret`, and its t.
 */
function verify(header: string, body: string, secret: string): { t: number; matches: number; signatures: number } {
  const parts = header.split(',').map((p) => p.split('=') as [string, string]);
  const t = Number(parts.find(([k]) => k === 't')![1]);
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const v1 = parts.filter(([k]) => k === 'v1').map(([, v]) => Buffer.from(v, 'hex'));
  return { t, matches: v1.filter((sig) => sig.length === expected.length && timingSafeEqual(sig, expected)).length, signatures: v1.length };
}

describe('webhooks', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let now = new Date('2026-03-01T10:00:00.000Z');
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  const deliver = () => t.platform.jobs.run('webhooks.deliver', 'manual');

  beforeAll(async () => {
    t = await createTestApp({ ocr: null, env: { WEBHOOKS_ALLOW_PRIVATE: 'true' }, clock: { now: () => now } });
    receiver = await startReceiver();
  });
  afterAll(() => receiver?.close());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.statuses.length = 0;
  });

  const create = async (token: string, body: Record<string, unknown> = {}) => {
    const res = await t.api.post('/api/webhooks', { url: receiver.url, ...body }, token);
    expect(res.status).toBe(201);
    return res.body as { _id: string; secret: string };
  };
  const deliveries = async (token: string, id: string) => (await t.api.get(`/api/webhooks/${id}/deliveries`, token)).body.deliveries;

  it('creates, lists, changes and deletes a webhook; the secret is shown at creation only', async () => {
    const { token } = await t.api.register();
    const hook = await create(token, { eventTypes: ['expense.created'], description: 'Books' });
    expect(hook).toMatchObject({ url: receiver.url, eventTypes: ['expense.created'], description: 'Books', active: true, previousSecretExpiresAt: null });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const listed = await t.api.get('/api/webhooks', token);
    expect(listed.body).toEqual([expect.objectContaining({ _id: hook._id })]);
    expect(JSON.stringify(listed.body)).not.toContain(hook.secret);
    expect((await t.api.get(`/api/webhooks/${hook._id}`, token)).body).not.toHaveProperty('secret');

    const changed = await t.api.patch(`/api/webhooks/${hook._id}`, { eventTypes: null, active: false }, token);
    expect(changed).toMatchObject({ status: 200, body: { eventTypes: null, active: false } });
    expect((await t.api.del(`/api/webhooks/${hook._id}`, token)).status).toBe(200);
    expect((await t.api.get(`/api/webhooks/${hook._id}`, token)).status).toBe(404);
  });

  it('answers 400 for bad input, 401 without a token and 404 for another user’s webhook', async () => {
    const alice = await t.api.register();
    const bob = await t.api.register();
    const hook = await create(alice.token);
    for (const body of [{ url: 'ftp://example.com/x' }, { url: 'not a url' }, { url: receiver.url, eventTypes: ['expense.exploded'] }, { url: receiver.url, eventTypes: [] }, {}]) {
      expect((await t.api.post('/api/webhooks', body, alice.token)).status).toBe(400);
    }
    expect((await t.api.post('/api/webhooks', { url: 'http://user:pw@example.com/' }, alice.token)).body.code).toBe('WEBHOOK_URL_REFUSED');
    expect((await t.api.get('/api/webhooks')).status).toBe(401);
    for (const [method, path] of [
      ['GET', ''],
      ['PATCH', ''],
      ['DELETE', ''],
      ['POST', '/ping'],
      ['POST', '/rotate-secret'],
      ['GET', '/deliveries'],
    ] as const) {
      const res = await t.api.call(method, `/api/webhooks/${hook._id}${path}`, { token: bob.token, ...(method === 'PATCH' && { body: { active: false } }) });
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    expect((await t.api.post(`/api/webhooks/${hook._id}/deliveries/nope/redeliver`, undefined, alice.token)).status).toBe(404);
  });

  it('pings at once, signed so that an independent check accepts it, and logs the ping', async () => {
    const { token } = await t.api.register();
    const hook = await create(token);
    const res = await t.api.post(`/api/webhooks/${hook._id}/ping`, undefined, token);
    expect(res).toMatchObject({ status: 201, body: { eventType: 'ping', status: 'succeeded', attempts: 1, responseStatus: 200 } });
    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    expect(JSON.parse(got!.body)).toMatchObject({ type: 'ping', webhookId: hook._id });
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['expenseflow-delivery']).toBe(res.body._id);
    const check = verify(got!.headers['expenseflow-signature'] as string, got!.body, hook.secret);
    expect(check).toEqual({ t: Math.floor(now.getTime() / 1000), matches: 1, signatures: 1 });
    expect(verify(got!.headers['expenseflow-signature'] as string, got!.body, 'whsec_another').matches).toBe(0);
    expect(verify(got!.headers['expenseflow-signature'] as string, `${got!.body} `, hook.secret).matches).toBe(0);
    expect((await deliveries(token, hook._id)).map((d: { _id: string }) => d._id)).toEqual([res.body._id]);
  });

  it('delivers the events of the types it wants, from the minute’s job, each once', async () => {
    const { token } = await t.api.register();
    await t.api.post('/api/expenses', { description: 'Before the webhook', amount: 1, category: 'food' }, token);
    const all = await create(token);
    const deletes = await create(token, { eventTypes: ['expense.deleted'] });
    const expense = await t.api.post('/api/expenses', { description: 'Books', amount: 30, category: 'education' }, token);
    await t.api.del(`/api/expenses/${expense.body._id}`, token);

    await deliver();
    await deliver(); // a second run finds nothing new: nothing is sent twice
    const bodies = receiver.received.map((r) => ({ hook: r.body, ...JSON.parse(r.body) }));
    expect(receiver.received).toHaveLength(3);
    for (const r of receiver.received) {
      const secret = r.headers['expenseflow-event'] === 'expense.deleted' && verify(r.headers['expenseflow-signature'] as string, r.body, deletes.secret).matches ? deletes.secret : all.secret;
      expect(verify(r.headers['expenseflow-signature'] as string, r.body, secret).matches).toBe(1);
    }
    expect(bodies.map((b) => b.type).sort()).toEqual(['expense.created', 'expense.deleted', 'expense.deleted']);
    const created = bodies.find((b) => b.type === 'expense.created');
    expect(created).toMatchObject({ seq: 2, data: { _id: expense.body._id, description: 'Books', amount: 30 } });
    expect((await deliveries(token, all._id)).map((d: { eventSeq: number; status: string }) => [d.eventSeq, d.status])).toEqual([
      [3, 'succeeded'],
      [2, 'succeeded'],
    ]);
    expect((await deliveries(token, deletes._id)).map((d: { eventType: string }) => d.eventType)).toEqual(['expense.deleted']);
  });

  it('gives a receiver that fails twice its third try, after 1 and 2 minutes, with the same body', async () => {
    const { token } = await t.api.register();
    const hook = await create(token);
    receiver.statuses.push(500, 503);
    await t.api.post('/api/expenses', { description: 'Retry me', amount: 5, category: 'food' }, token);

    await deliver();
    let [d] = await deliveries(token, hook._id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500, lastError: 'HTTP 500', nextAttemptAt: new Date(now.getTime() + 60_000).toISOString() });
    await deliver(); // not due yet: not tried
    expect(receiver.received).toHaveLength(1);
    advance(60_000);
    await deliver();
    [d] = await deliveries(token, hook._id);
    expect(d).toMatchObject({ status: 'pending', attempts: 2, responseStatus: 503 });
    advance(120_000);
    await deliver();
    [d] = await deliveries(token, hook._id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3, responseStatus: 200, lastError: null, nextAttemptAt: null });
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.headers['expenseflow-delivery'])).size).toBe(1);
    for (const r of receiver.received) expect(verify(r.headers['expenseflow-signature'] as string, r.body, hook.secret).matches).toBe(1);
  });

  it('sends nothing more to a webhook switched off, and only what happens after it is switched back on', async () => {
    const { token } = await t.api.register();
    const hook = await create(token);
    receiver.statuses.push(500);
    await t.api.post('/api/expenses', { description: 'Before', amount: 1, category: 'food' }, token);
    await deliver();
    expect(receiver.received).toHaveLength(1);
    await t.api.patch(`/api/webhooks/${hook._id}`, { active: false }, token);
    await t.api.post('/api/expenses', { description: 'While off', amount: 2, category: 'food' }, token);
    advance(60_000);
    await deliver();
    expect(receiver.received).toHaveLength(1);
    expect((await deliveries(token, hook._id)).map((d: { status: string; lastError: string }) => [d.status, d.lastError])).toEqual([['failed', 'the webhook is switched off']]);

    await t.api.patch(`/api/webhooks/${hook._id}`, { active: true }, token);
    await t.api.post('/api/expenses', { description: 'After', amount: 3, category: 'food' }, token);
    await deliver();
    expect(receiver.received.map((r) => JSON.parse(r.body).data.description)).toEqual(['Before', 'After']);
  });

  it('stops trying after 24 hours, then delivers the same event again on request', async () => {
    const { token } = await t.api.register();
    const hook = await create(token);
    receiver.statuses.push(...new Array(30).fill(500));
    await t.api.post('/api/expenses', { description: 'Never taken', amount: 5, category: 'food' }, token);
    await deliver();
    for (let i = 0; i < 30; i++) {
      advance(60 * 60_000);
      await deliver();
    }
    const [failed] = await deliveries(token, hook._id);
    expect(failed.status).toBe('failed');
    const tries = receiver.received.length;
    expect(tries).toBe(failed.attempts);
    // Every try fell within the 24 hours after the delivery was made.
    expect(new Date(failed.lastAttemptAt).getTime() - new Date(failed.createdAt).getTime()).toBeLessThanOrEqual(24 * 60 * 60_000);

    receiver.statuses.length = 0;
    const again = await t.api.post(`/api/webhooks/${hook._id}/deliveries/${failed._id}/redeliver`, undefined, token);
    expect(again).toMatchObject({ status: 201, body: { status: 'succeeded', redeliveryOf: failed._id, eventSeq: failed.eventSeq } });
    expect(receiver.received.at(-1)!.body).toBe(receiver.received[0]!.body);
    expect((await deliveries(token, hook._id)).map((d: { _id: string }) => d._id)).toEqual([again.body._id, failed._id]);
  });

  it('signs with the old and the new secret for 24 hours after a rotation, then with the new one', async () => {
    const { token } = await t.api.register();
    const hook = await create(token);
    const rotated = await t.api.post(`/api/webhooks/${hook._id}/rotate-secret`, undefined, token);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(hook.secret);
    expect(rotated.body.previousSecretExpiresAt).toBe(new Date(now.getTime() + 24 * 60 * 60_000).toISOString());

    await t.api.post(`/api/webhooks/${hook._id}/ping`, undefined, token);
    let r = receiver.received.at(-1)!;
    const header = r.headers['expenseflow-signature'] as string;
    expect(verify(header, r.body, hook.secret)).toMatchObject({ matches: 1, signatures: 2 });
    expect(verify(header, r.body, rotated.body.secret)).toMatchObject({ matches: 1, signatures: 2 });

    advance(24 * 60 * 60_000 + 1);
    await t.api.post(`/api/webhooks/${hook._id}/ping`, undefined, token);
    r = receiver.received.at(-1)!;
    expect(verify(r.headers['expenseflow-signature'] as string, r.body, rotated.body.secret)).toMatchObject({ matches: 1, signatures: 1 });
    expect(verify(r.headers['expenseflow-signature'] as string, r.body, hook.secret).matches).toBe(0);
    expect((await t.api.get(`/api/webhooks/${hook._id}`, token)).body.previousSecretExpiresAt).toBeNull();
  });

  describe('without WEBHOOKS_ALLOW_PRIVATE', () => {
    let strict: TestApp;
    beforeAll(async () => {
      // The same database, as a second process configured as production would be.
      strict = await createTestApp({ ocr: null, databaseFile: t.databaseFile, clock: { now: () => now } });
    });

    it('refuses URLs that are or resolve to loopback, private or link-local addresses', async () => {
      const { token } = await strict.api.register();
      const port = new URL(receiver.url).port;
      for (const url of [
        receiver.url,
        `http://localhost:${port}/hook`, // a name: the system resolver says 127.0.0.1 (or ::1)
        'http://[::1]/hook',
        'http://[::ffff:127.0.0.1]/hook',
        'http://[::ffff:a9fe:a9fe]/latest/meta-data',
        'http://169.254.169.254/latest/meta-data',
        'http://10.0.0.8/',
        'http://192.168.1.1/',
        'http://[fd00::1]/',
        'http://[fe80::1]/',
        'http://2130706433/', // 127.0.0.1 as one number: the URL parser reads it so
        'http://0x7f.1/',
        'http://no-such-host.invalid/',
      ]) {
        const res = await strict.api.post('/api/webhooks', { url }, token);
        expect([url, res.status, res.body.code]).toEqual([url, 400, 'WEBHOOK_URL_REFUSED']);
      }
      expect((await strict.api.get('/api/webhooks', token)).body).toEqual([]);
    });

    it('checks again at each delivery: a webhook accepted before is not sent to a loopback address', async () => {
      const { token } = await t.api.register();
      const hook = await create(token); // accepted where private addresses are allowed
      await t.api.post('/api/expenses', { description: 'Inward', amount: 1, category: 'food' }, token);
      await strict.platform.jobs.run('webhooks.deliver', 'manual');
      expect(receiver.received).toEqual([]);
      const [d] = await deliveries(token, hook._id);
      expect(d).toMatchObject({ status: 'pending', attempts: 1, responseStatus: null, lastError: expect.stringMatching(/^refused: 127\.0\.0\.1 is a private/) });
      const ping = await strict.api.post(`/api/webhooks/${hook._id}/ping`, undefined, token);
      expect(ping).toMatchObject({ status: 201, body: { status: 'failed', lastError: expect.stringContaining('refused') } });
      expect(receiver.received).toEqual([]);
    });
  });
});
