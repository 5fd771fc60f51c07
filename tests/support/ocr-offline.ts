/**
 * Run by tests/ocr-offline.test.ts inside a network namespace of its own (`unshare -rn`): no
 * interface but a loopback that is down, so any request leaving the process fails. Reads the
 * receipts named on the command line with a cold tesseract.js pool, as a fresh server would,
 * and prints one JSON line: the interfaces it saw and each reading's extraction.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createTesseractOcr } from '../../core/ocr/tesseract.ts';
import { extract } from '../../plugins/receipts/extract.ts';
import { detectType } from '../../plugins/receipts/detect.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'receipts');
const ocr = createTesseractOcr({ workers: 2 });
const readings: Record<string, unknown> = {};
for (const name of process.argv.slice(2)) {
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  readings[name] = extract(await ocr.read(bytes, (await detectType(bytes))!));
}
await ocr.stop();
const interfaces = Object.entries(networkInterfaces()).flatMap(([name, addresses]) => (addresses ?? []).map((a) => `${name}:${a.address}`));
console.log(JSON.stringify({ interfaces, readings }));
