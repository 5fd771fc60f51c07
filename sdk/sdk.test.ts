import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpenseFlow, ExpenseFlowError, verifyWebhookSignature } from './index.ts';

/** A stand-in API on loopback: answers the queued statuses in turn (then 201), records each request. */
const requests: { method: string; url: string; key: string | undefined; auth: string | undefined; body: string }[] = [];
const statuses: number[] = [];
let baseUrl = '';
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    requests.push({ method: req.method!, url: req.url!, key: req.headers['idempotency-key'] as string | undefined, auth: req.headers.authorization, body });
    const status = statuses.shift() ?? 201;
    res.writeHead(status, { 'content-type': 'application/json', ...(status === 429 && { 'retry-after': '0' }) });
    res.end(status < 400 ? JSON.stringify({ _id: 'w1', secret: 'whsec_x' }) : JSON.stringify({ success: false, error: 'Nope', code: 'VALIDATION_FAILED', details: [{ path: 'json.url', message: 'bad' }] }));
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the SDK client', () => {
  it('retries a write after 503 and 429 with the same Idempotency-Key and body; another call gets another key', async () => {
    requests.length = 0;
    statuses.push(503, 429);
    const ef = createExpenseFlow({ baseUrl, apiKey: 'efk_test', retry: { baseDelayMs: 1 } });
    expect(await ef.webhooks.create({ url: 'https://example.com/hook' })).toMatchObject({ _id: 'w1' });
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.key)).size).toBe(1);
    expect(requests[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(requests.map((r) => r.body))).toEqual(new Set([JSON.stringify({ url: 'https://example.com/hook' })]));
    expect(requests[0]!.auth).toBe('Bearer efk_test');
    await ef.webhooks.create({ url: 'https://example.com/hook' });
    expect(requests[3]!.key).not.toBe(requests[0]!.key);
  });

  it('stops after its retries and throws the error answer; sends no key on a read', async () => {
    requests.length = 0;
    statuses.push(503, 503, 503);
    const ef = createExpenseFlow({ baseUrl, token: 't', retry: { retries: 2, baseDelayMs: 1 } });
    const err = await ef.webhooks.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExpenseFlowError);
    expect(err).toMatchObject({ status: 503, code: 'VALIDATION_FAILED', message: 'Nope' });
    expect(requests.map((r) => [r.method, r.key])).toEqual([
      ['GET', undefined],
      ['GET', undefined],
      ['GET', undefined],
    ]);
    statuses.push(400);
    await expect(ef.webhooks.create({ url: 'x' })).rejects.toMatchObject({ status: 400, details: [{ path: 'json.url', message: 'bad' }] });
  });
});

describe('verifyWebhookSignature', () => {
  const secret = 'whsec_abc';
  const payload = '{"type":"ping"}';
  const t = 1_800_000_000;
  const sign = (s: string, at = t, body = payload) => createHmac('sha256', s).update(`${at}.${body}`).digest('hex');

  it('accepts a signature made with the secret (node:crypto, as the server makes it), either of two during a rotation', async () => {
    expect(await verifyWebhookSignature({ payload, header: `t=${t},v1=${sign(secret)}`, secret, now: t })).toBe(true);
    expect(await verifyWebhookSignature({ payload, header: `t=${t},v1=${sign('whsec_new')},v1=${sign(secret)}`, secret, now: t + 10 })).toBe(true);
  });

  it('refuses another secret, a changed body, an old or future t, and malformed headers', async () => {
    const header = `t=${t},v1=${sign(secret)}`;
    expect(await verifyWebhookSignature({ payload, header, secret: 'whsec_other', now: t })).toBe(false);
    expect(await verifyWebhookSignature({ payload: `${payload} `, header, secret, now: t })).toBe(false);
    expect(await verifyWebhookSignature({ payload, header, secret, now: t + 301 })).toBe(false);
    expect(await verifyWebhookSignature({ payload, header, secret, now: t - 301 })).toBe(false);
    for (const bad of [null, '', `v1=${sign(secret)}`, `t=${t}`, `t=abc,v1=${sign(secret)}`, `t=${t},v1=zz`]) {
      expect(await verifyWebhookSignature({ payload, header: bad, secret, now: t })).toBe(false);
    }
  });
});
