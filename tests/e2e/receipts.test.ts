/**
 * Receipts on a running host: upload over real HTTP (multipart), the reading, the file, the
 * limits. On Node and Deno the reading runs in the host's tesseract.js pool and reaches the
 * user's devices as a `receipt_processed` event; the Worker has no OCR, so its receipts stay
 * pending (for the OCR worker, a later step) while storage (R2) and every other route work the same.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { httpClient } from '../support/api-client.ts';
import { UNREACHABLE_URL } from '../support/rates-server.ts';
import { hostName, startServer } from './server.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'receipts');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));
const LIMIT = 1024 * 1024;
const SECRET = 'e2e-ocr-worker-secret-of-at-least-32-characters';
const reads = hostName !== 'worker';

function form(bytes: Uint8Array, name: string, type: string) {
  const body = new FormData();
  body.set('receipt', new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
  return body;
}

/** Resident memory of a process group (npm and the server, or wrangler and workerd), in bytes: Linux /proc. */
function groupRss(pgid: number): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name: state, ppid, pgrp, …
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      total += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

describe('receipts over HTTP', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let api: ReturnType<typeof httpClient>;
  let alice: { token: string; id: string };
  let bob: { token: string; id: string };

  beforeAll(async () => {
    // No wait: the answer is `pending`, and the reading arrives as an event.
    server = await startServer({ EXCHANGE_RATES_URL: UNREACHABLE_URL, EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL, RECEIPT_OCR_WAIT_MS: '0', RECEIPT_MAX_BYTES: String(LIMIT), OCR_WORKER_SECRET: SECRET });
    api = httpClient(server.baseUrl);
    alice = await api.register();
    bob = await api.register();
  });
  afterAll(() => server?.stop());

  const upload = async (token: string, body: FormData) => {
    const res = await fetch(`${server.baseUrl}/api/receipts`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
    return { status: res.status, body: (await res.json()) as any };
  };

  async function socketOf(token: string) {
    const { body } = await api.post<{ ticket: string }>('/api/sync/ticket', undefined, token);
    const ws = new WebSocket(`${server.baseUrl.replace(/^http/, 'ws')}/api/sync/ws?ticket=${body.ticket}&deviceId=phone`);
    const messages: any[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    ws.send(JSON.stringify({ type: 'ping' }));
    for (let i = 0; i < 100 && !messages.some((m) => m.type === 'pong'); i++) await new Promise((r) => setTimeout(r, 50));
    return { ws, messages };
  }

  it('stores an upload, reads it, and pushes the reading to the user’s devices', async () => {
    const device = reads ? await socketOf(alice.token) : null;
    const bytes = fixture('grocery-usd-iso.png');
    const made = await upload(alice.token, form(bytes, 'grocery.png', 'image/png'));
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ filename: 'grocery.png', fileType: 'image', contentType: 'image/png', size: bytes.byteLength, fileUrl: `/api/receipts/${made.body._id}/file` });
    const file = await fetch(`${server.baseUrl}${made.body.fileUrl}`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    if (!device) {
      // No OCR on the Worker: stored and pending.
      expect((await api.get(`/api/receipts/${made.body._id}`, alice.token)).body.ocrData.status).toBe('pending');
      return;
    }
    for (let i = 0; i < 300 && !device.messages.some((m) => m.type === 'receipt_processed'); i++) await new Promise((r) => setTimeout(r, 100));
    const [event] = device.messages.filter((m) => m.type === 'receipt_processed');
    expect(event?.receipt).toMatchObject({ _id: made.body._id, ocrData: { status: 'done', extractedAmount: 8.39, merchant: 'FRESH MARKET', date: '2024-03-15', currency: 'USD' } });
    expect((await api.get(`/api/receipts/${made.body._id}`, alice.token)).body).toEqual(event.receipt);
    const expense = await api.post(`/api/receipts/${made.body._id}/expense`, { category: 'food' }, alice.token);
    expect(expense.status).toBe(201);
    expect(expense.body.expense).toMatchObject({ amount: 8.39, currency: 'USD', merchant: 'FRESH MARKET' });
    device.ws.close();
  });

  it('lets only the OCR worker, by its secret, at the internal routes', async () => {
    const claim = (secret?: string) =>
      api.call('POST', '/api/receipts/internal/claim', { body: { limit: 1 }, headers: secret ? { 'x-ocr-worker-secret': secret } : {} });
    expect((await claim()).status).toBe(401);
    expect((await claim(`${SECRET}x`)).status).toBe(401);
    expect((await api.call('POST', '/api/receipts/internal/claim', { body: { limit: 1 }, token: alice.token })).status).toBe(401);
    expect((await claim(SECRET)).status).toBe(200);
  });

  it.runIf(hostName === 'worker')('has the OCR worker read a Worker’s pending receipts and post the readings back', async () => {
    const device = await socketOf(alice.token);
    const made = await upload(alice.token, form(fixture('hardware-gbp.jpg'), 'diy.jpg', 'image/jpeg'));
    expect(made.body.ocrData.status).toBe('pending');
    const run = spawnSync(join(import.meta.dirname, '../../node_modules/.bin/node'), ['scripts/ocr-worker.ts', '--once'], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, OCR_API_URL: server.baseUrl, OCR_WORKER_SECRET: SECRET },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const read = await api.get(`/api/receipts/${made.body._id}`, alice.token);
    expect(read.body.ocrData).toMatchObject({ status: 'done', extractedAmount: 20.49, currency: 'GBP', merchant: 'HOMEBASE DIY', date: '2024-02-12' });
    for (let i = 0; i < 100 && !device.messages.some((m) => m.type === 'receipt_processed'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(device.messages.find((m) => m.type === 'receipt_processed')?.receipt).toEqual(read.body);
    device.ws.close();
  });

  it('refuses an executable renamed .png (415)', async () => {
    const elf = new Uint8Array(readFileSync(process.execPath).subarray(0, 4096));
    const res = await upload(alice.token, form(elf, 'receipt.png', 'image/png'));
    expect(res).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('refuses an upload over RECEIPT_MAX_BYTES as it streams in, without the server holding it', async () => {
    const listedBefore = (await api.get('/api/receipts', alice.token)).body.length as number;
    const before = groupRss(server.pid);
    const offered = 256 * 1024 * 1024;
    const url = new URL(`${server.baseUrl}/api/receipts`);
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    let sent = 0;
    // A raw socket, not node:http's client: once the server has answered and closed, a write of
    // ours fails (EPIPE, or a reset), and node:http would then drop the answer it had received.
    // Here what arrived is kept, and the status is read from it.
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      let received = '';
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        socket.destroy();
        resolve(received);
      };
      socket.on('data', (d) => {
        received += d.toString('latin1');
        if (received.includes('\r\n\r\n')) finish();
      });
      socket.on('error', finish);
      socket.on('close', finish);
      const frame = (data: Buffer | string) => {
        socket.write(`${Buffer.byteLength(data).toString(16)}\r\n`);
        socket.write(data);
        return socket.write('\r\n');
      };
      socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${alice.token}\r\n` +
          'Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      frame('--b\r\nContent-Disposition: form-data; name="receipt"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n');
      const pump = () => {
        while (!done && sent < offered) {
          sent += chunk.byteLength;
          if (!frame(chunk)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
    // wrangler dev's local proxy may reset the connection before the answer arrives (0), or answer
    // for the Worker itself when its stream to the Worker is cut ("Network connection lost", a
    // text/plain 500, never the app's JSON error shape). Cloudflare's edge, not the Worker, owns
    // that connection in production.
    const localProxy = status === 0 || (status === 500 && /content-type: text\/plain/i.test(answer));
    if (localProxy) expect(hostName).toBe('worker');
    else expect(status).toBe(413);
    // Nothing of it stored.
    expect((await api.get('/api/receipts', alice.token)).body).toHaveLength(listedBefore);
    // Refused long before the 256 MiB offered had gone out (socket buffers aside), and the server did not grow by it.
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect(groupRss(server.pid) - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('hides a receipt and its file from another user (404), and deletes it with its file', async () => {
    const made = await upload(alice.token, form(fixture('parking-cad.png'), 'parking.png', 'image/png'));
    expect(made.status).toBe(201);
    const id = made.body._id as string;
    expect((await api.get(`/api/receipts/${id}`, bob.token)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/api/receipts/${id}/file`, { headers: { authorization: `Bearer ${bob.token}` } })).status).toBe(404);
    expect((await api.del(`/api/receipts/${id}`, bob.token)).status).toBe(404);
    expect((await api.get('/api/receipts', alice.token)).body.map((r: { _id: string }) => r._id)).toContain(id);
    expect(await api.del(`/api/receipts/${id}`, alice.token)).toMatchObject({ status: 200, body: { success: true, message: 'Receipt deleted' } });
    expect((await fetch(`${server.baseUrl}/api/receipts/${id}/file`, { headers: { authorization: `Bearer ${alice.token}` } })).status).toBe(404);
  });
});
