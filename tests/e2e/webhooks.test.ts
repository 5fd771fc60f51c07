import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedExample } from '../../sdk/examples/feed.ts';
import { webhookReceiver } from '../../sdk/examples/receiver.ts';
import { webhooksExample } from '../../sdk/examples/webhooks.ts';
import { httpClient } from '../support/api-client.ts';
import { sharedServer, startServer } from './server.ts';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A receiver on loopback (the host under test reaches it with WEBHOOKS_ALLOW_PRIVATE=true):
 * answers the queued statuses in turn, then 200, or hands the request to `handler` when set.
 */
async function startReceiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  let handler: ((request: Request) => Promise<Response>) | undefined;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      received.push({ headers: req.headers, body });
      if (handler) {
        const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])));
        const answer = await handler(new Request(`http://receiver${req.url}`, { method: req.method!, headers, body }));
        res.writeHead(answer.status);
        res.end(await answer.text());
        return;
      }
      res.writeHead(statuses.shift() ?? 200);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    statuses,
    use: (h: typeof handler) => (handler = h),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The documented check, written here with node:crypto: how many v1= match `secret`, and t. */
function verify(header: string, body: string, secret: string) {
  const parts = header.split(',').map((p) => p.split('=') as [string, string]);
  const t = Number(parts.find(([k]) => k === 't')![1]);
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const matches = parts.filter(([k, v]) => k === 'v1' && v.length === 64 && timingSafeEqual(Buffer.from(v, 'hex'), expected)).length;
  return { t, matches };
}

describe('the events feed and webhooks, over HTTP', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let api: ReturnType<typeof httpClient>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    [server, receiver] = await Promise.all([startServer({ WEBHOOKS_ALLOW_PRIVATE: 'true' }), startReceiver()]);
    api = httpClient(server.baseUrl);
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.statuses.length = 0;
    receiver.use(undefined);
  });

  it('pages through the feed while writes go on, with no gap and no repeat', async () => {
    const { token } = await api.register();
    const ids: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 40; i += 4) {
        const created = await Promise.all([0, 1, 2, 3].map((j) => api.post('/api/expenses', { description: `E${i + j}`, amount: 1 + i + j, category: 'food' }, token)));
        for (const r of created) expect(r.status).toBe(201);
        ids.push(...created.map((r) => r.body._id as string));
      }
    })().finally(() => (writing = false));
    const seqs: number[] = [];
    const seen: string[] = [];
    let after = 0;
    for (let reads = 0; reads < 2000; reads++) {
      const stillWriting = writing;
      const page = await api.get(`/api/events?after=${after}&limit=5&types=expense.created`, token);
      expect(page.status).toBe(200);
      for (const e of page.body.events) {
        seqs.push(e.seq);
        seen.push(e.data._id);
      }
      after = page.body.next;
      if (!stillWriting && !page.body.hasMore) break;
    }
    await writer;
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(seen)).toEqual(new Set(ids));
  });

  it('keeps a webhook: created with its secret once, listed, changed, deleted; another user’s is 404; bad input 400', async () => {
    const alice = await api.register();
    const bob = await api.register();
    const created = await api.post('/api/webhooks', { url: receiver.url, eventTypes: ['expense.created'] }, alice.token);
    expect(created).toMatchObject({ status: 201, body: { url: receiver.url, eventTypes: ['expense.created'], active: true } });
    expect(created.body.secret).toMatch(/^whsec_/);
    const id = created.body._id as string;
    expect((await api.get('/api/webhooks', alice.token)).body).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);
    expect((await api.patch(`/api/webhooks/${id}`, { eventTypes: null }, alice.token)).body).toMatchObject({ eventTypes: null });
    expect((await api.get(`/api/webhooks/${id}`, bob.token)).status).toBe(404);
    expect((await api.post(`/api/webhooks/${id}/ping`, undefined, bob.token)).status).toBe(404);
    expect((await api.post('/api/webhooks', { url: 'ftp://example.com/' }, alice.token)).status).toBe(400);
    expect((await api.get('/api/events?types=nope', alice.token)).status).toBe(400);
    expect((await api.get('/api/webhooks')).status).toBe(401);
    expect((await api.del(`/api/webhooks/${id}`, alice.token)).status).toBe(200);
    expect((await api.get(`/api/webhooks/${id}`, alice.token)).status).toBe(404);
  });

  it('pings signed so that an independent check accepts it; a receiver that fails twice takes the third try', async () => {
    const { token } = await api.register();
    const hook = (await api.post('/api/webhooks', { url: receiver.url }, token)).body;
    receiver.statuses.push(500, 502);

    const first = await api.post(`/api/webhooks/${hook._id}/ping`, undefined, token);
    expect(first).toMatchObject({ status: 201, body: { eventType: 'ping', status: 'failed', responseStatus: 500 } });
    const second = await api.post(`/api/webhooks/${hook._id}/deliveries/${first.body._id}/redeliver`, undefined, token);
    expect(second).toMatchObject({ status: 201, body: { status: 'failed', responseStatus: 502, redeliveryOf: first.body._id } });
    const third = await api.post(`/api/webhooks/${hook._id}/deliveries/${first.body._id}/redeliver`, undefined, token);
    expect(third).toMatchObject({ status: 201, body: { status: 'succeeded', responseStatus: 200 } });

    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    for (const r of receiver.received) {
      expect(verify(r.headers['expenseflow-signature'] as string, r.body, hook.secret).matches).toBe(1);
      expect(verify(r.headers['expenseflow-signature'] as string, r.body, 'whsec_forged').matches).toBe(0);
    }
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ type: 'ping', webhookId: hook._id });
    const log = (await api.get(`/api/webhooks/${hook._id}/deliveries`, token)).body;
    expect(log.deliveries.map((d: { status: string }) => d.status)).toEqual(['succeeded', 'failed', 'failed']);

    // After a rotation a delivery carries a signature for each secret.
    const rotated = (await api.post(`/api/webhooks/${hook._id}/rotate-secret`, undefined, token)).body;
    await api.post(`/api/webhooks/${hook._id}/ping`, undefined, token);
    const last = receiver.received.at(-1)!;
    expect(verify(last.headers['expenseflow-signature'] as string, last.body, hook.secret).matches).toBe(1);
    expect(verify(last.headers['expenseflow-signature'] as string, last.body, rotated.secret).matches).toBe(1);
  });

  it('runs the SDK README examples: the feed, webhooks and a receiver that verifies signatures', async () => {
    const { token } = await api.register();
    const feed = await feedExample(server.baseUrl, token);
    expect(feed.expense).toMatchObject({ description: 'Coffee', amount: 3.5 });
    expect(feed.lines).toEqual([`1 expense.created ${feed.expense!._id}`]);
    expect(feed.cursor).toBe(1);

    const hooks = await webhooksExample(server.baseUrl, token, receiver.url);
    expect(hooks.ping).toMatchObject({ eventType: 'ping', status: 'succeeded', responseStatus: 200 });
    expect(hooks.log).toEqual(['ping succeeded']);
    expect(hooks.refused).toBe('400 VALIDATION_FAILED');

    // The receiver example, given the secret the webhook example was shown.
    const events: { type: string }[] = [];
    receiver.use(webhookReceiver(hooks.secret, (e) => events.push(e)));
    const again = await api.post(`/api/webhooks/${hooks.id}/ping`, undefined, token);
    expect(again.body).toMatchObject({ status: 'succeeded', responseStatus: 204 });
    const forged = await fetch(receiver.url, { method: 'POST', body: receiver.received.at(-1)!.body, headers: { 'expenseflow-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` } });
    expect(forged.status).toBe(400);
    expect(events).toEqual([expect.objectContaining({ type: 'ping', webhookId: hooks.id })]);
  });
});

describe('webhook URLs without WEBHOOKS_ALLOW_PRIVATE', () => {
  const { api } = sharedServer();

  it('refuses loopback, private and link-local addresses, as literals and by name', async () => {
    const { token } = await api.register();
    for (const url of ['http://127.0.0.1:9/hook', 'http://[::1]/hook', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data', 'http://10.1.2.3/', 'http://localhost:9/hook']) {
      const res = await api.post('/api/webhooks', { url }, token);
      expect([url, res.status, res.body.code]).toEqual([url, 400, 'WEBHOOK_URL_REFUSED']);
    }
    expect((await api.get('/api/webhooks', token)).body).toEqual([]);
  });
});
