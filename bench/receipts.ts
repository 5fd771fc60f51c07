/**
 * Receipt readings on the Node host (part of `npm run bench`; alone: `node bench/receipts.ts`):
 * a fresh server, so that its first upload meets a cold tesseract.js pool. Uploads wait for
 * their reading (RECEIPT_OCR_WAIT_MS 60 s), so an upload's latency is its reading's.
 * - cold: the first upload (the pool starts: workers, model);
 * - warm: 10 uploads one after another, p50 and max;
 * - throughput: 60 uploads of the fixture set, 4 at a time (the pool has a worker per CPU), as
 *   receipts per minute (target 60 or more);
 * - the server's peak resident memory (VmHWM) over the whole run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNodeHost, type NodeHost } from '../tests/support/node-host.ts';
import { memoryOf } from './server.ts';

const TARGET_PER_MINUTE = 60;
const FIXTURES = fileURLToPath(new URL('../tests/fixtures/receipts/', import.meta.url));
const images = readdirSync(FIXTURES)
  .filter((f) => /\.(png|jpg|webp)$/.test(f))
  .map((f) => ({ name: f, bytes: readFileSync(join(FIXTURES, f)), type: f.endsWith('.png') ? 'image/png' : f.endsWith('.webp') ? 'image/webp' : 'image/jpeg' }));

export interface ReceiptsMeasurement {
  coldMs: number;
  warmP50Ms: number;
  warmMaxMs: number;
  perMinute: number;
  uploads: number;
  concurrency: number;
  done: number;
  peakMb: number | null;
}

export async function measureReceipts(log: (line: string) => void = console.log): Promise<ReceiptsMeasurement> {
  const dataDir = mkdtempSync(join(tmpdir(), 'expenseflow-bench-receipts-'));
  let server: NodeHost | undefined;
  try {
    server = await startNodeHost(
      { DATA_DIR: dataDir, DATABASE_URL: `file:${dataDir}/bench.db`, LOG_LEVEL: 'warn', NODE_ENV: 'development', RECEIPT_OCR_WAIT_MS: '60000', EXCHANGE_RATES_URL: 'http://127.0.0.1:2/', EXCHANGE_RATES_HISTORY_URL: 'http://127.0.0.1:2/' },
      'node',
    );
    const base = server.baseUrl;
    const reg = await fetch(`${base}/api/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench', email: 'bench@example.com', password: 'password123' }) });
    const { token } = (await reg.json()) as { token: string };
    let done = 0;
    const upload = async (i: number) => {
      const image = images[i % images.length]!;
      const body = new FormData();
      body.set('receipt', new File([image.bytes], image.name, { type: image.type }));
      const started = performance.now();
      const res = await fetch(`${base}/api/receipts`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body });
      const receipt = (await res.json()) as { ocrData?: { status: string } };
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${JSON.stringify(receipt)}`);
      if (receipt.ocrData?.status === 'done') done++;
      return performance.now() - started;
    };
    log('receipts: cold upload ...');
    const coldMs = await upload(0);
    log('receipts: 10 warm uploads, one at a time ...');
    const warm: number[] = [];
    for (let i = 1; i <= 10; i++) warm.push(await upload(i));
    warm.sort((a, b) => a - b);
    const uploads = 60;
    const concurrency = 4;
    log(`receipts: ${uploads} uploads, ${concurrency} at a time ...`);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < uploads) await upload(11 + next++);
      }),
    );
    const perMinute = (uploads / (performance.now() - started)) * 60_000;
    return { coldMs, warmP50Ms: warm[Math.floor(warm.length / 2)]!, warmMaxMs: warm.at(-1)!, perMinute, uploads, concurrency, done, peakMb: memoryOf(server.pid)?.peakMb ?? null };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function reportReceipts(m: ReceiptsMeasurement): boolean {
  const verdict = m.perMinute >= TARGET_PER_MINUTE ? 'PASS' : 'MISS';
  console.log(`\nreceipt readings (tesseract.js pool, a worker per CPU; uploads answered when read):`);
  console.log(`  cold (first upload, pool starting)  ${m.coldMs.toFixed(0)} ms`);
  console.log(`  warm, one at a time                 p50 ${m.warmP50Ms.toFixed(0)} ms, max ${m.warmMaxMs.toFixed(0)} ms`);
  console.log(`  throughput, ${m.concurrency} at a time            ${m.perMinute.toFixed(0)} receipts/min  (target ${TARGET_PER_MINUTE} or more)  ${verdict}`);
  console.log(`  read (status done)                  ${m.done} of ${m.uploads + 11}`);
  console.log(`  server peak RSS                     ${m.peakMb === null ? 'n/a' : `${m.peakMb.toFixed(0)} MB`}`);
  return m.done === m.uploads + 11;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let code = 1;
  try {
    code = reportReceipts(await measureReceipts()) ? 0 : 1;
  } catch (err) {
    console.error('receipts bench failed:', err instanceof Error ? err.message : err);
  }
  process.exit(code);
}
