import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/**
 * Issue 9: OCR works with no network at all. The reading runs in a child process inside a
 * network namespace of its own (unshare: a user namespace, so no privilege is needed), where no
 * request can leave; tesseract.js would fetch its model from a CDN without its local `langPath`,
 * and crash. It also runs in an empty working directory, which must stay empty: no model cache.
 */
describe('OCR offline', () => {
  it('reads receipts in a network namespace with no way out, writing nothing to the working directory', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'expenseflow-ocr-offline-'));
    try {
      const run = spawnSync(
        'unshare',
        ['--user', '--map-root-user', '--net', join(root, 'node_modules/.bin/node'), join(root, 'tests/support/ocr-offline.ts'), 'grocery-usd-iso.png', 'hardware-gbp.jpg', 'e-receipt-text-layer.pdf'],
        { cwd, encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.status, run.stderr).toBe(0);
      const { interfaces, readings } = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
      // Nothing but loopback (and that one down: it shows no address) in there.
      expect(interfaces.filter((i: string) => !i.startsWith('lo:'))).toEqual([]);
      expect(readings).toMatchObject({
        'grocery-usd-iso.png': { total: 8.39, merchant: 'FRESH MARKET' },
        'hardware-gbp.jpg': { total: 20.49, currency: 'GBP' },
        'e-receipt-text-layer.pdf': { total: 69.11 },
      });
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
