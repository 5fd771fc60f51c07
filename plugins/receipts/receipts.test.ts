import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'receipts');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

/** A multipart upload as a client sends it: the file part under `receipt`, with the name and type the client claims. */
function form(bytes: Uint8Array, name = 'receipt.png', type = 'image/png', fields: Record<string, string> = {}) {
  const body = new FormData();
  body.set('receipt', new File([bytes as Uint8Array<ArrayBuffer>], name, { type }));
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return body;
}

describe('receipts', async () => {
  // A generous wait: these cases check what a finished reading says (the wait itself has its own case).
  const t = await createTestApp({ env: { RECEIPT_OCR_WAIT_MS: '30000', RECEIPT_MAX_BYTES: String(256 * 1024) } });
  const { api, platform } = t;
  afterAll(() => platform.ocr?.stop());
  const alice = await api.register();
  const bob = await api.register();

  const upload = async (token: string, body: FormData | string, headers: Record<string, string> = {}) => {
    const res = await t.app.request('/api/receipts', { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body });
    return { status: res.status, body: (await res.json()) as any };
  };

  describe('happy', () => {
    it('stores a PNG receipt and answers with its reading in the seed shape', async () => {
      const res = await upload(alice.token, form(fixture('grocery-usd-iso.png'), 'grocery.png'));
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        _id: expect.any(String),
        filename: 'grocery.png',
        fileUrl: `/api/receipts/${res.body._id}/file`,
        fileType: 'image',
        contentType: 'image/png',
        size: fixture('grocery-usd-iso.png').byteLength,
        expenseId: null,
        ocrData: {
          status: 'done',
          extractedText: expect.stringContaining('FRESH MARKET'),
          extractedAmount: 8.39,
          confidence: expect.any(Number),
          merchant: 'FRESH MARKET',
          date: '2024-03-15',
          currency: 'USD',
          lineItems: expect.arrayContaining([expect.objectContaining({ description: expect.stringMatching(/Bread/), amount: 2.99 })]),
          failureReason: null,
          processedAt: expect.any(String),
        },
        createdAt: expect.any(String),
      });
      expect(res.body.ocrData.confidence).toBeGreaterThan(0.5);
      expect((await api.get(`/api/receipts/${res.body._id}`, alice.token)).body).toEqual(res.body);
      // The file sits under DATA_DIR/receipts, named by the id alone.
      expect(existsSync(join(t.dir, 'receipts', res.body._id))).toBe(true);
    });

    it('gives the owner the stored bytes with the detected type, whatever type the upload claimed', async () => {
      const bytes = fixture('cafe-eur-dots.jpg');
      const made = await upload(alice.token, form(bytes, 'photo.png', 'image/png'));
      expect(made.body.contentType).toBe('image/jpeg');
      const res = await t.app.request(`/api/receipts/${made.body._id}/file`, { headers: { authorization: `Bearer ${alice.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    });

    it('reads a PDF’s text layer, and fails a scanned PDF with the reason', async () => {
      const text = await upload(alice.token, form(fixture('e-receipt-text-layer.pdf'), 'order.pdf', 'application/pdf'));
      expect(text.status).toBe(201);
      expect(text.body).toMatchObject({ fileType: 'pdf', ocrData: { status: 'done', extractedAmount: 69.11, date: '2024-04-02', merchant: 'NORTHWIND ONLINE', currency: 'USD' } });
      const scan = await upload(alice.token, form(fixture('scan-no-text.pdf'), 'scan.pdf', 'application/pdf'));
      expect(scan.status).toBe(201);
      expect(scan.body.ocrData).toMatchObject({ status: 'failed', extractedAmount: null, failureReason: expect.stringMatching(/no text layer/) });
    });

    it('lists receipts newest first, a page at a time', async () => {
      const first = await api.get('/api/receipts?limit=2', alice.token);
      expect(first.status).toBe(200);
      expect(first.body).toHaveLength(2);
      const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')![1]!;
      const second = await api.get(next, alice.token);
      expect(second.body.length).toBeGreaterThan(0);
      const ids = [...first.body, ...second.body].map((r: { _id: string }) => r._id);
      expect(ids).toEqual([...ids].sort().reverse());
      expect((await api.get('/api/receipts', bob.token)).body).toEqual([]);
    });

    it('attaches a receipt to the owner’s expense, lists it by expense, and unlinks it when the expense goes', async () => {
      const expense = await api.post('/api/expenses', { description: 'Taxi', amount: 36.4, currency: 'CHF', category: 'transport' }, alice.token);
      const made = await upload(alice.token, form(fixture('taxi-chf.png'), 'taxi.png', 'image/png', { expenseId: expense.body._id }));
      expect(made.status).toBe(201);
      expect(made.body.expenseId).toBe(expense.body._id);
      const listed = await api.get(`/api/receipts/expense/${expense.body._id}`, alice.token);
      expect(listed.body.map((r: { _id: string }) => r._id)).toEqual([made.body._id]);
      await api.del(`/api/expenses/${expense.body._id}`, alice.token);
      expect((await api.get(`/api/receipts/${made.body._id}`, alice.token)).body.expenseId).toBeNull();
    });

    it('creates an expense from the reading with the user’s corrections, linked in the same write; once', async () => {
      const made = await upload(alice.token, form(fixture('grocery-usd-iso.png')));
      const res = await api.post(`/api/receipts/${made.body._id}/expense`, { category: 'food', description: 'Weekly groceries' }, alice.token);
      expect(res.status).toBe(201);
      expect(res.body.expense).toMatchObject({ description: 'Weekly groceries', amount: 8.39, currency: 'USD', category: 'food', date: '2024-03-15T00:00:00.000Z', merchant: 'FRESH MARKET' });
      expect(res.body.receipt).toMatchObject({ _id: made.body._id, expenseId: res.body.expense._id });
      const expense = await api.get(`/api/expenses/${res.body.expense._id}`, alice.token);
      expect(expense.body).toMatchObject({ originalAmount: 8.39, merchant: 'FRESH MARKET' });
      const again = await api.post(`/api/receipts/${made.body._id}/expense`, {}, alice.token);
      expect(again).toMatchObject({ status: 409, body: { code: 'RECEIPT_LINKED' } });
    });

    it('makes one expense when two requests turn the same receipt into one at once', async () => {
      const made = await upload(alice.token, form(fixture('taxi-chf.png')));
      const description = `Taxi ${made.body._id}`;
      const both = await Promise.all([0, 1].map(() => api.post(`/api/receipts/${made.body._id}/expense`, { description, category: 'transport' }, alice.token)));
      expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
      const listed = await api.get(`/api/expenses?q=${encodeURIComponent(description)}`, alice.token);
      expect(listed.body.filter((e: { description: string }) => e.description === description)).toHaveLength(1);
    });

    it('asks for the amount when none was read', async () => {
      const scan = await upload(alice.token, form(fixture('scan-no-text.pdf'), 'scan.pdf'));
      const res = await api.post(`/api/receipts/${scan.body._id}/expense`, {}, alice.token);
      expect(res).toMatchObject({ status: 400, body: { code: 'AMOUNT_REQUIRED' } });
      const given = await api.post(`/api/receipts/${scan.body._id}/expense`, { amount: 8.39, currency: 'USD', date: '2024-03-15' }, alice.token);
      expect(given.status).toBe(201);
      expect(given.body.expense).toMatchObject({ description: 'Receipt', amount: 8.39, category: 'other' });
    });

    it('deletes the receipt and its file', async () => {
      const made = await upload(alice.token, form(fixture('parking-cad.png')));
      const res = await api.del(`/api/receipts/${made.body._id}`, alice.token);
      expect(res).toMatchObject({ status: 200, body: { success: true, message: 'Receipt deleted' } });
      expect((await api.get(`/api/receipts/${made.body._id}`, alice.token)).status).toBe(404);
      expect(existsSync(join(t.dir, 'receipts', made.body._id))).toBe(false);
      expect((await api.del(`/api/receipts/${made.body._id}`, alice.token)).status).toBe(404);
    });
  });

  describe('errors', () => {
    it('refuses an executable renamed .png (415): the bytes decide', async () => {
      // The first 4 KiB of the running Node binary: a real ELF header.
      const elf = new Uint8Array(readFileSync(process.execPath).subarray(0, 4096));
      expect([...elf.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
      const res = await upload(alice.token, form(elf, 'receipt.png', 'image/png'));
      expect(res).toMatchObject({ status: 415, body: { success: false, code: 'UNSUPPORTED_MEDIA_TYPE' } });
      const text = await upload(alice.token, form(new TextEncoder().encode('TOTAL 8.39'), 'receipt.jpg', 'image/jpeg'));
      expect(text.status).toBe(415);
      const gif = await upload(alice.token, form(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0]), 'r.gif', 'image/gif'));
      expect(gif.status).toBe(415);
    });

    it('fails, unread by the engine, an image whose header claims an enormous canvas, and one cut short', async () => {
      // A PNG signature and an IHDR chunk saying 50,000 × 50,000 pixels: 33 bytes that would ask for gigabytes.
      const bomb = new Uint8Array(33);
      bomb.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
      new DataView(bomb.buffer).setUint32(16, 50_000);
      new DataView(bomb.buffer).setUint32(20, 50_000);
      bomb.set([8, 2, 0, 0, 0], 24);
      const big = await upload(alice.token, form(bomb, 'bomb.png'));
      expect(big.status).toBe(201);
      expect(big.body.ocrData).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/too large to read \(50000 × 50000/) });
      const cut = await upload(alice.token, form(fixture('cafe-eur-dots.jpg').subarray(0, 40), 'cut.jpg', 'image/jpeg'));
      expect(cut.status).toBe(201);
      expect(cut.body.ocrData).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/could not be decoded/) });
    });

    it('refuses a body that is not multipart, and a form without the file', async () => {
      const json = await upload(alice.token, JSON.stringify({ receipt: 'x' }), { 'content-type': 'application/json' });
      expect(json.status).toBe(415);
      const body = new FormData();
      body.set('expenseId', 'x');
      expect((await upload(alice.token, body)).status).toBe(400);
      const field = new FormData();
      field.set('receipt', 'not a file');
      expect((await upload(alice.token, field)).status).toBe(400);
    });

    it('refuses an upload over RECEIPT_MAX_BYTES while it streams in, having read little more than the limit', async () => {
      const limit = 256 * 1024;
      const total = 64 * 1024 * 1024;
      let sent = 0;
      const boundary = 'xReceiptBoundary';
      const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="receipt"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
      const chunk = new Uint8Array(64 * 1024);
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(head);
          if (sent >= total) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const before = process.memoryUsage().rss;
      const res = await t.app.request('/api/receipts', {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      // Pulled as far as the limit (and a chunk or two of read-ahead), not the 64 MiB offered.
      expect(sent).toBeLessThan(limit + 4 * chunk.byteLength);
      expect(process.memoryUsage().rss - before).toBeLessThan(total / 2);
    });

    it('leaves a multipart body sent to a JSON route unread (415)', async () => {
      const res = await t.app.request('/api/expenses', { method: 'POST', headers: { authorization: `Bearer ${alice.token}` }, body: form(fixture('parking-cad.png')) });
      expect(res.status).toBe(415);
    });

    it('refuses a declared length over the limit before reading anything', async () => {
      const res = await t.app.request('/api/receipts', {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(10 * 1024 * 1024) },
        body: '--x--',
      });
      expect(res.status).toBe(413);
    });

    it('refuses an expenseId that is not the caller’s (404)', async () => {
      const expense = await api.post('/api/expenses', { description: 'Bob’s', amount: 5, category: 'food' }, bob.token);
      const res = await upload(alice.token, form(fixture('parking-cad.png'), 'p.png', 'image/png', { expenseId: expense.body._id }));
      expect(res).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      expect((await api.get(`/api/receipts/expense/${expense.body._id}`, alice.token)).status).toBe(404);
    });
  });

  describe('security', () => {
    it('hides a receipt and its file from everyone but its owner (404)', async () => {
      const made = await upload(alice.token, form(fixture('parking-cad.png')));
      const id = made.body._id as string;
      expect((await api.get(`/api/receipts/${id}`, bob.token)).status).toBe(404);
      const file = await t.app.request(`/api/receipts/${id}/file`, { headers: { authorization: `Bearer ${bob.token}` } });
      expect(file.status).toBe(404);
      expect(await file.json()).toMatchObject({ code: 'NOT_FOUND' });
      expect((await api.post(`/api/receipts/${id}/expense`, { amount: 1 }, bob.token)).status).toBe(404);
      expect((await api.del(`/api/receipts/${id}`, bob.token)).status).toBe(404);
      expect((await api.get(`/api/receipts/${id}`, alice.token)).status).toBe(200);
    });

    it('needs a token on every route', async () => {
      for (const [method, path] of [
        ['GET', '/api/receipts'],
        ['POST', '/api/receipts'],
        ['GET', '/api/receipts/x'],
        ['GET', '/api/receipts/x/file'],
        ['DELETE', '/api/receipts/x'],
        ['GET', '/api/receipts/expense/x'],
        ['POST', '/api/receipts/x/expense'],
      ] as const) {
        expect((await api.call(method, path)).status, `${method} ${path}`).toBe(401);
      }
    });

    it('keeps the client’s file name as text only', async () => {
      const made = await upload(alice.token, form(fixture('parking-cad.png'), '../../etc/passwd\u0000.png'));
      expect(made.status).toBe(201);
      expect(made.body.filename).toBe('passwd.png');
      expect(existsSync(join(t.dir, 'receipts', made.body._id))).toBe(true);
    });
  });
});

describe('receipts: readings after the answer', async () => {
  it('answers pending after RECEIPT_OCR_WAIT_MS; the reading arrives later as receipt.processed and in reads', async () => {
    const t = await createTestApp({ env: { RECEIPT_OCR_WAIT_MS: '0' } });
    const user = await t.api.register();
    const events: { userId: string; receipt: { _id: string; ocrData: { status: string } } }[] = [];
    t.platform.events.on('receipt.processed', (e) => void events.push(e));
    const body = form(fixture('gas-station-usd.webp'), 'gas.webp', 'image/webp');
    const res = await t.app.request('/api/receipts', { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body });
    const made = (await res.json()) as { _id: string; ocrData: { status: string } };
    expect(res.status).toBe(201);
    expect(made.ocrData).toMatchObject({ status: 'pending', extractedText: null, extractedAmount: null, confidence: null });
    for (let i = 0; i < 300 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ userId: user.id, receipt: { _id: made._id, ocrData: { status: 'done', extractedAmount: 37.69 } } });
    expect((await t.api.get(`/api/receipts/${made._id}`, user.token)).body).toEqual(events[0]!.receipt);
    await t.platform.ocr?.stop();
  });

  it('leaves receipts pending on a host without OCR; the next start with OCR reads them', async () => {
    const stored = await createTestApp({ ocr: null });
    const user = await stored.api.register();
    const res = await stored.app.request('/api/receipts', { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form(fixture('deli-usd-cash-change.jpg'), 'deli.jpg') });
    const made = (await res.json()) as { _id: string; ocrData: { status: string } };
    expect(made.ocrData.status).toBe('pending');
    stored.client.close();

    const restarted = await createTestApp({ dir: stored.dir });
    await restarted.platform.jobs.run('receipts.resume', 'startup');
    const read = await restarted.api.get(`/api/receipts/${made._id}`, user.token);
    expect(read.body.ocrData).toMatchObject({ status: 'done', extractedAmount: 12.5, merchant: 'CORNER DELI' });
    await restarted.platform.ocr?.stop();
  });

  it('reads at the next start a receipt whose reader died holding it, once the claim lapses', async () => {
    const crashed = await createTestApp({ ocr: null });
    const user = await crashed.api.register();
    const res = await crashed.app.request('/api/receipts', { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form(fixture('taxi-chf.png'), 'taxi.png') });
    const made = (await res.json()) as { _id: string };
    // As a process killed mid-reading leaves it: claimed, for a little while yet.
    const { receipts } = await import('./tables.ts');
    const { eq } = await import('drizzle-orm');
    await crashed.platform.db.update(receipts).set({ claimedUntil: new Date(Date.now() + 1500).toISOString(), attempts: 1 }).where(eq(receipts.id, made._id));
    crashed.client.close();

    const restarted = await createTestApp({ dir: crashed.dir });
    await restarted.platform.jobs.run('receipts.resume', 'startup');
    expect((await restarted.api.get(`/api/receipts/${made._id}`, user.token)).body.ocrData.status).toBe('pending');
    let status = 'pending';
    for (let i = 0; i < 100 && status === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await restarted.api.get(`/api/receipts/${made._id}`, user.token)).body.ocrData.status;
    }
    expect((await restarted.api.get(`/api/receipts/${made._id}`, user.token)).body.ocrData).toMatchObject({ status: 'done', extractedAmount: 36.4 });
    await restarted.platform.ocr?.stop();
  });
});

describe('receipts: the OCR worker’s internal routes', async () => {
  const SECRET = 'test-ocr-worker-secret-at-least-32-chars';
  // A host without OCR, as the Worker: receipts wait for the OCR worker.
  const t = await createTestApp({ ocr: null, env: { OCR_WORKER_SECRET: SECRET } });
  const user = await t.api.register();
  const worker = { 'x-ocr-worker-secret': SECRET };
  const uploadPending = async (name: string, type: string) => {
    const res = await t.app.request('/api/receipts', { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form(fixture(name), name, type) });
    return ((await res.json()) as { _id: string })._id;
  };

  it('do not exist without OCR_WORKER_SECRET', async () => {
    const plain = await createTestApp({ ocr: null });
    const res = await plain.api.call('POST', '/api/receipts/internal/claim', { body: { limit: 1 }, headers: worker });
    expect(res.status).toBe(404);
  });

  it('hand out each pending receipt once, take the posted text, extract it here and announce it', async () => {
    const id = await uploadPending('taxi-chf.png', 'image/png');
    const events: string[] = [];
    t.platform.events.on('receipt.processed', (e) => void events.push(e.receipt._id));
    const claim = await t.api.call('POST', '/api/receipts/internal/claim', { body: { limit: 5 }, headers: worker });
    expect(claim.body.receipts).toEqual([{ _id: id, contentType: 'image/png', size: fixture('taxi-chf.png').byteLength, attempts: 1 }]);
    // Held: a second claim gets nothing.
    expect((await t.api.call('POST', '/api/receipts/internal/claim', { body: {}, headers: worker })).body.receipts).toEqual([]);
    const file = await t.app.request(`/api/receipts/internal/${id}/file`, { headers: worker });
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(fixture('taxi-chf.png'));
    const lines = ['ZUERI TAXI AG', '05.10.2024 23:10', 'Fahrt 8.4 km   31.40', 'TOTAL CHF   36.40'].map((text) => ({ text, confidence: 0.9 }));
    const posted = await t.api.call('POST', `/api/receipts/internal/${id}/reading`, { body: { reading: { lines, confidence: 0.9, source: 'ocr' } }, headers: worker });
    expect(posted.status).toBe(200);
    expect(posted.body.ocrData).toMatchObject({ status: 'done', extractedAmount: 36.4, currency: 'CHF', date: '2024-10-05', merchant: 'ZUERI TAXI AG' });
    expect(events).toEqual([id]);
    // Read already: a second posting is 404.
    expect((await t.api.call('POST', `/api/receipts/internal/${id}/reading`, { body: { failureReason: 'late' }, headers: worker })).status).toBe(404);
  });

  it('records a failure the worker reports, and gives up a receipt taken too often without a reading', async () => {
    const failed = await uploadPending('scan-no-text.pdf', 'application/pdf');
    await t.api.call('POST', '/api/receipts/internal/claim', { body: { limit: 1 }, headers: worker });
    const res = await t.api.call('POST', `/api/receipts/internal/${failed}/reading`, { body: { failureReason: 'The PDF has no text layer' }, headers: worker });
    expect(res.body.ocrData).toMatchObject({ status: 'failed', failureReason: 'The PDF has no text layer' });

    const stuck = await uploadPending('parking-cad.png', 'image/png');
    const { receipts } = await import('./tables.ts');
    const { eq } = await import('drizzle-orm');
    for (let i = 0; i < 4; i++) {
      await t.api.call('POST', '/api/receipts/internal/claim', { body: { limit: 1 }, headers: worker });
      // The claim lapses (the worker died).
      await t.platform.db.update(receipts).set({ claimedUntil: null }).where(eq(receipts.id, stuck));
    }
    expect((await t.api.get(`/api/receipts/${stuck}`, user.token)).body.ocrData).toMatchObject({ status: 'failed', failureReason: 'The file could not be read' });
  });

  it('refuse a bad or missing secret and a user token', async () => {
    expect((await t.api.call('POST', '/api/receipts/internal/claim', { body: {} })).status).toBe(401);
    expect((await t.api.call('POST', '/api/receipts/internal/claim', { body: {}, headers: { 'x-ocr-worker-secret': 'x'.repeat(40) } })).status).toBe(401);
    expect((await t.api.call('POST', '/api/receipts/internal/claim', { body: {}, token: user.token })).status).toBe(401);
  });
});
