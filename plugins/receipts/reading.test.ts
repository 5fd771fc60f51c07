import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TextReading } from '../../core/ocr/port.ts';
import { createTesseractOcr } from '../../core/ocr/tesseract.ts';
import { detectType } from './detect.ts';
import { extract } from './extract.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'receipts');
type Truth = { total: number; date: string; merchant: string; currency: string | null };
const truth = JSON.parse(readFileSync(join(FIXTURES, 'truth.json'), 'utf8')) as Record<string, Truth>;

const text = (...lines: string[]): TextReading => ({ lines: lines.map((t) => ({ text: t, confidence: 0.9 })), confidence: 0.9, source: 'ocr' });
// Case, spacing and punctuation aside: "CITY. PHARMACY" is CITY PHARMACY, "Café" is CAFE.
const name = (s: string | null) => (s ?? '').normalize('NFD').toUpperCase().replace(/[^A-Z0-9]/g, '');

describe('extraction from text', () => {
  it('takes the total over SUBTOTAL, TAX, TIP, CASH and CHANGE, and GRAND TOTAL over TOTAL', () => {
    expect(extract(text('SHOP', 'Subtotal 21.50', 'Tax 1.88', 'Tip 4.00', 'TOTAL 23.38', 'GRAND TOTAL $27.38', 'CASH 30.00', 'CHANGE 2.62')).total).toBe(27.38);
    expect(extract(text('SHOP', 'TOTAL 12.50', 'CASH TEND 20.00', 'CHANGE DUE 7.50')).total).toBe(12.5);
    expect(extract(text('SHOP', 'SUBTOTAL 14.48', 'SALES TAX 1.16', 'BALANCE DUE 15.64')).total).toBe(15.64);
    expect(extract(text('SHOP', 'Sub Total £20.49', 'VAT 20% £3.42', 'AMOUNT DUE £20.49')).total).toBe(20.49);
    expect(extract(text('SHOP', 'TOTAL SAVINGS 3.00', 'BALANCE 35.63')).total).toBe(35.63);
  });

  it('reads amounts in both decimal conventions, with thousands and the currency on either side', () => {
    expect(extract(text('S', 'TOTAL $1,284.91')).total).toBe(1284.91);
    expect(extract(text('S', 'TOTAL 1.284,91 €')).total).toBe(1284.91);
    expect(extract(text('S', 'TOTAL EUR 26,50')).total).toBe(26.5);
    expect(extract(text('S', 'TOTAL', '36.40')).total).toBe(36.4);
    // Whole amounts only in a currency without decimals; elsewhere "2233" is no amount.
    expect(extract(text('S', 'Gyoza ¥450', 'TOTAL ¥2,233')).total).toBe(2233);
    expect(extract(text('S', 'Gyoza ¥450', 'TOTAL ¥2,233')).lineItems).toEqual([{ description: 'Gyoza', amount: 450 }]);
    expect(extract(text('S', 'TOTAL $2233')).total).toBeNull();
  });

  it('never invents: no labelled total, date, merchant or currency is null, and confidence 0 without a total', () => {
    const found = extract(text('12:02', 'Coffee 3.50', 'Muffin 2.00', '5.50'));
    expect(found).toMatchObject({ total: null, date: null, merchant: null, currency: null, confidence: 0 });
    // A subtotal alone is not the total.
    expect(extract(text('SHOP', 'SUBTOTAL 9.00', 'TAX 0.79')).total).toBeNull();
    // Two currencies: which was paid is not said.
    expect(extract(text('SHOP', 'TOTAL EUR 10.00', 'USD 11.20')).currency).toBeNull();
  });

  it('reads dates in the common layouts', () => {
    const date = (line: string, currencyLine = '') => extract(text('SHOP', line, currencyLine)).date;
    expect(date('2024-03-15 14:22')).toBe('2024-03-15');
    expect(date('2024/01/09')).toBe('2024-01-09');
    expect(date('15.03.2024')).toBe('2024-03-15');
    expect(date('23/08/2024')).toBe('2024-08-23');
    expect(date('06/21/2024')).toBe('2024-06-21');
    // Neither number above 12: month first on a dollar receipt, day first otherwise.
    expect(date('10/02/2024', 'TOTAL $5.00')).toBe('2024-10-02');
    expect(date('10/02/2024', 'TOTAL £5.00')).toBe('2024-02-10');
    expect(date('Mar 3, 2024')).toBe('2024-03-03');
    expect(date('7 November 2024')).toBe('2024-11-07');
    expect(date('Dec 18 2023')).toBe('2023-12-18');
    expect(date('31/02/2024')).toBeNull();
  });

  it('finds the merchant among the top lines, skipping what names no shop', () => {
    expect(extract(text('RECEIPT', 'Store #208', "TONY'S PIZZERIA", '77 Bleecker St')).merchant).toBe("TONY'S PIZZERIA");
    expect(extract(text('| MERCADO CENTRAL :', 'Calle Mayor 20')).merchant).toBe('MERCADO CENTRAL');
  });

  it('lists the items above the sums', () => {
    expect(extract(text('SHOP', '2024-03-15', 'Bananas 1.29', 'Milk 1 gal 3.49', 'SUBTOTAL 4.78', 'TOTAL 4.78', 'VISA 4.78')).lineItems).toEqual([
      { description: 'Bananas', amount: 1.29 },
      { description: 'Milk 1 gal', amount: 3.49 },
    ]);
  });
});

describe('readings of the fixture set (tesseract.js, offline)', async () => {
  const ocr = createTesseractOcr({ workers: 2 });
  afterAll(() => ocr.stop());
  const names = Object.keys(truth);
  const results = await Promise.all(
    names.map(async (file) => {
      const bytes = new Uint8Array(readFileSync(join(FIXTURES, file)));
      return { file, want: truth[file]!, got: extract(await ocr.read(bytes, (await detectType(bytes))!)) };
    }),
  );
  const share = (ok: (r: (typeof results)[number]) => boolean) => results.filter(ok).length / results.length;
  const misses = (field: keyof Truth) => results.filter((r) => r.got[field] !== r.want[field]).map((r) => `${r.file}: ${r.got[field]} for ${r.want[field]}`);

  it('has a set of at least 20 receipts in every accepted format', () => {
    expect(names.length).toBeGreaterThanOrEqual(20);
    expect(new Set(names.map((n) => n.split('.').pop()))).toEqual(new Set(['png', 'jpg', 'webp', 'pdf']));
  });

  it('finds the total of at least 90% exactly', () => {
    expect(share((r) => r.got.total === r.want.total), misses('total').join('\n')).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the date and the merchant of at least 80%', () => {
    expect(share((r) => r.got.date === r.want.date), misses('date').join('\n')).toBeGreaterThanOrEqual(0.8);
    expect(share((r) => name(r.got.merchant) === name(r.want.merchant)), misses('merchant').join('\n')).toBeGreaterThanOrEqual(0.8);
  });

  it('names a currency only when one is printed, and then the right one', () => {
    // Never a wrong one: a reading that is not sure says null.
    expect(results.filter((r) => r.got.currency !== null && r.got.currency !== r.want.currency).map((r) => r.file)).toEqual([]);
    expect(share((r) => r.got.currency === r.want.currency)).toBeGreaterThanOrEqual(0.8);
  });

  it('is more confident where the total was found', () => {
    for (const r of results) {
      expect(r.got.confidence).toBeGreaterThanOrEqual(0);
      expect(r.got.confidence).toBeLessThanOrEqual(1);
      if (r.got.total === null) expect(r.got.confidence).toBe(0);
    }
  });
});
