/**
 * `npm run ocr-worker`: reads receipts for a host that has no OCR of its own (the Worker), with
 * the same tesseract.js pool and PDF reader as the embedded hosts. It takes pending receipts
 * through the API's internal routes (authenticated by the shared secret OCR_WORKER_SECRET),
 * reads each file and posts the text back; the server extracts the fields, stores them and
 * pushes the reading to the owner's devices. Run it on any Node machine that reaches the API.
 *
 *   OCR_API_URL=https://expenseflow.example.workers.dev OCR_WORKER_SECRET=… npm run ocr-worker
 *   … npm run ocr-worker -- --once      read what is pending now, then exit
 *
 * OCR_POLL_MS (default 5000): the pause when nothing waits. A reading cut short (a crash, a
 * stop) leaves its receipt pending: the claim lapses after a minute and a worker takes it again.
 */
import { UnreadableFile, type ReadableType } from '../core/ocr/port.ts';
import { createTesseractOcr } from '../core/ocr/tesseract.ts';
import { availableParallelism } from 'node:os';

const base = process.env.OCR_API_URL?.replace(/\/+$/, '');
const secret = process.env.OCR_WORKER_SECRET;
if (!base || !secret) {
  console.error('OCR_API_URL and OCR_WORKER_SECRET are required');
  process.exit(2);
}
const once = process.argv.includes('--once');
const pollMs = Number(process.env.OCR_POLL_MS ?? 5000);
const workers = availableParallelism();
const headers = { 'x-ocr-worker-secret': secret };
const log = (msg: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ level: 'info', msg, ...fields }));

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

type Claimed = { _id: string; contentType: ReadableType };

const ocr = createTesseractOcr({ workers });
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (stopping = true));

async function readOne({ _id: id, contentType }: Claimed): Promise<void> {
  const file = await fetch(`${base}/api/receipts/internal/${id}/file`, { headers });
  // Deleted, or read by another worker, since the claim.
  if (file.status === 404) return;
  if (!file.ok) throw new Error(`file of ${id}: HTTP ${file.status}`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let posted: unknown;
  try {
    const reading = await ocr.read(bytes, contentType);
    // Within what the route takes: a receipt is far below both bounds.
    posted = { reading: { ...reading, lines: reading.lines.slice(0, 2000).map((l) => ({ text: l.text.slice(0, 1000), confidence: l.confidence })) } };
  } catch (err) {
    if (!(err instanceof UnreadableFile)) throw err;
    posted = { failureReason: err.message.slice(0, 500) };
  }
  const res = await call('POST', `/api/receipts/internal/${id}/reading`, posted);
  if (res.status !== 200 && res.status !== 404) throw new Error(`reading of ${id}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  log('receipt read', { receiptId: id, status: res.status });
}

try {
  while (!stopping) {
    const claim = await call<{ receipts: Claimed[] }>('POST', '/api/receipts/internal/claim', { limit: Math.min(20, workers * 2) });
    if (claim.status !== 200) throw new Error(`claim: HTTP ${claim.status} ${JSON.stringify(claim.body)}`);
    if (claim.body.receipts.length === 0) {
      if (once) break;
      await new Promise((r) => setTimeout(r, pollMs));
      continue;
    }
    const results = await Promise.allSettled(claim.body.receipts.map(readOne));
    // A failed one stays pending: its claim lapses and it is taken again (the server gives up after a few tries).
    for (const r of results) if (r.status === 'rejected') console.error(JSON.stringify({ level: 'error', msg: 'reading failed', error: String(r.reason) }));
  }
} finally {
  await ocr.stop();
}
