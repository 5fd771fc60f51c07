/**
 * What a receipt's text says: total, date, merchant, currency and line items. Plain functions
 * over the lines an OCR port read (or a PDF's text layer), the same on every host and in the
 * Node OCR worker. The rule throughout: a value that is not clearly there stays null, never guessed.
 */
import type { TextReading } from '../../core/ocr/port.ts';

export interface LineItem {
  description: string;
  amount: number;
}

export interface Extraction {
  total: number | null;
  /** YYYY-MM-DD. */
  date: string | null;
  merchant: string | null;
  /** ISO 4217, from a symbol or a code printed on the receipt. */
  currency: string | null;
  lineItems: LineItem[];
  /** 0..1: the engine's confidence in the text, weighed by how the total was found (0 without one). */
  confidence: number;
}

export const MAX_LINE_ITEMS = 100;
export const MAX_MERCHANT = 200;
export const MAX_ITEM_DESCRIPTION = 200;

// Labels of the amount to pay, strongest first: a GRAND TOTAL beats a TOTAL printed above it.
const TOTAL_LABELS: [RegExp, number][] = [
  [/\bGRAND\s*TOTAL\b/, 1],
  [/\b(AMOUNT|AMT|BALANCE|TOTAL)\s*DUE\b/, 0.98],
  [/\bTOTAL\s*(TO\s*PAY|PAYABLE)\b/, 0.97],
  [/\b(TOTAL|TOTALE|TOTAAL|TOTAUX|GESAMT|SUMME|IMPORTE\s*TOTAL)\b/, 0.9],
  [/\bBALANCE\b/, 0.85],
];
// Amounts that are not the total, even on a line that says TOTAL ("TOTAL SAVINGS", "SUB TOTAL").
const NOT_TOTAL = /\b(SUB\s*-?\s*TOTAL|SOUS\s*-?\s*TOTAL|SUBTOTAAL|ZWISCHENSUMME|TAX|VAT|TVA|MWST|BTW|IVA|HST|GST|PST|CHANGE|CASH|TEND(ERED)?|TIP|GRATUITY|DISCOUNT|SAVINGS?|ITEMS?|QTY|R[UÜ]CKGELD|CAMBIO|CONTANTI|EFECTIVO|BAR)\b/;
// Lines that close the list of items.
const SUMMARY = new RegExp(`${NOT_TOTAL.source}|${TOTAL_LABELS.map(([r]) => r.source).join('|')}`);
const PAYMENT = /\b(VISA|MASTERCARD|MASTER\s*CARD|AMEX|DEBIT|CREDIT|CARD|CONTACTLESS)\b/;

const SYMBOLS: [RegExp, string][] = [
  [/€/, 'EUR'],
  [/£/, 'GBP'],
  [/[¥￥]/, 'JPY'],
  [/₩/, 'KRW'],
  [/₹/, 'INR'],
];
/** Currencies printed without decimals: their amounts are whole numbers ("¥2,233"). */
const ZERO_DECIMAL = new Set(['JPY', 'KRW']);
// Codes a receipt prints; a symbol like $ alone names no single currency (USD, CAD, AUD, …).
const CODES = ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'JPY', 'INR', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'MXN', 'BRL', 'ZAR', 'SGD', 'HKD', 'CNY'];
const CODE = new RegExp(`(?<![A-Z])(${CODES.join('|')})(?![A-Z])`);

/**
 * An amount as printed at the end of a line: "1,284.91", "140,88", "$ 8.39", "£20.49", "7,80 €".
 * The last separator followed by exactly two digits is the decimal one; the others group thousands.
 * A few OCR confusions inside the number are undone (O→0, l/I→1, S→5).
 */
const AMOUNT_AT_END = /(-?)(?:[$€£¥₹]|[A-Z]{3})?\s?((?:\d[\dOoIlS]{0,2}(?:[.,'\s]\d[\dOoIlS]{2})*|\d[\dOoIlS]*)[.,]\s?[\dOo]{2})\s*(?:[$€£¥₹]|[A-Z]{3})?\s*[-)]?$/;

function parseAmount(text: string): number | null {
  const m = AMOUNT_AT_END.exec(text.trim());
  if (!m) return null;
  const raw = m[2]!.replace(/[Oo]/g, '0').replace(/[Il]/g, '1').replace(/S/g, '5').replace(/\s/g, '');
  const decimals = raw.slice(-2);
  const whole = raw.slice(0, -3).replace(/[.,']/g, '');
  if (!/^\d+$/.test(whole) || !/^\d{2}$/.test(decimals)) return null;
  const value = Number(`${whole}.${decimals}`);
  return Number.isFinite(value) && value > 0 && value < 1e9 ? value : null;
}

/** A whole amount at the end of a line ("¥2,233", "2233 JPY"), for currencies without decimals only. */
const WHOLE_AT_END = /(?:[¥￥₩]|JPY|KRW)?\s?(\d{1,3}(?:,\d{3})+|\d{1,9})\s*(?:[¥￥₩]|JPY|KRW)?\s*$/;

function parseWhole(text: string): number | null {
  const m = WHOLE_AT_END.exec(text.trim());
  const value = m ? Number(m[1]!.replace(/,/g, '')) : NaN;
  return Number.isInteger(value) && value > 0 && value < 1e12 ? value : null;
}

/** The line's amount: two decimals, or a whole number on a receipt in a currency without decimals. */
const amountOf = (text: string, whole: boolean) => parseAmount(text) ?? (whole ? parseWhole(text) : null);

/** The label of a line: what is left once its amount is taken off. */
const labelOf = (text: string, whole = false) => {
  const label = text.replace(AMOUNT_AT_END, '').trim();
  return whole && label === text.trim() ? text.replace(WHOLE_AT_END, '').trim() : label;
};

function findTotal(lines: string[], whole: boolean): { value: number; strength: number } | null {
  let best: { value: number; strength: number; at: number } | null = null;
  lines.forEach((line, at) => {
    const upper = line.toUpperCase();
    if (NOT_TOTAL.test(upper)) return;
    const label = TOTAL_LABELS.find(([re]) => re.test(upper));
    if (!label) return;
    // The amount on the label's line, else alone on the next line (a label printed above it).
    let value = amountOf(line, whole);
    if (value === null && at + 1 < lines.length && !/[A-Za-z]{3}/.test(labelOf(lines[at + 1]!, whole))) value = amountOf(lines[at + 1]!, whole);
    if (value === null) return;
    // The strongest label wins; among equals, the last one printed (a total after a running total).
    if (!best || label[1] > best.strength || (label[1] === best.strength && at > best.at)) best = { value, strength: label[1], at };
  });
  return best;
}

function findCurrency(lines: string[]): string | null {
  const found = new Set<string>();
  for (const line of lines) {
    for (const [re, code] of SYMBOLS) if (re.test(line)) found.add(code);
    const code = CODE.exec(line.toUpperCase());
    if (code && /\d/.test(line)) found.add(code[1]!);
    else if (code && /\bTOTAL\b/i.test(line)) found.add(code[1]!);
  }
  // A $ alone is read as USD; with a dollar code printed (CAD, AUD, …) that code is the currency.
  if (found.size === 0 && lines.some((l) => l.includes('$'))) found.add('USD');
  // Two currencies on one receipt: which one was paid is not clear.
  return found.size === 1 ? [...found][0]! : null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = `(${MONTHS.join('|')})[a-z]*\\.?`;

function isoDate(year: number, month: number, day: number): string | null {
  if (year < 100) year += 2000;
  if (year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * The receipt's date in the common layouts. Numbers with slashes or dashes are month first on
 * a dollar receipt (the US layout) and day first otherwise, unless one of them is above 12;
 * with dots they are always day first (the European layout).
 */
function findDate(lines: string[], currency: string | null, dollar: boolean): string | null {
  const monthFirst = dollar || currency === 'USD';
  for (const raw of lines) {
    // OCR reads a date's separators and digits loosely: "18/04/2024" may come back as "1810472024".
    const line = raw.replace(/[Oo](?=\d)|(?<=\d)[Oo]/g, '0');
    let m = /(?<!\d)((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/.exec(line);
    if (m) {
      const d = isoDate(+m[1]!, +m[2]!, +m[3]!);
      if (d) return d;
    }
    m = /(?<!\d)(\d{1,2})\s?([-/.])\s?(\d{1,2})\s?\2\s?((?:19|20)?\d{2})(?![\d])/.exec(line);
    if (m) {
      const [a, sep, b, y] = [+m[1]!, m[2]!, +m[3]!, +m[4]!];
      const dayFirst = a > 12 || (b <= 12 && (sep === '.' || !monthFirst));
      const d = dayFirst ? isoDate(y, b, a) : isoDate(y, a, b);
      if (d) return d;
    }
    const lower = line.toLowerCase();
    m = new RegExp(`\\b${MONTH}[\\s'.,-]*(\\d{1,2})(?:st|nd|rd|th)?[\\s,.'-]+((?:19|20)\\d{2})\\b`).exec(lower);
    if (m) {
      const d = isoDate(+m[3]!, MONTHS.indexOf(m[1]!) + 1, +m[2]!);
      if (d) return d;
    }
    m = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?[\\s.-]+${MONTH}[\\s,.-]+((?:19|20)\\d{2})\\b`).exec(lower);
    if (m) {
      const d = isoDate(+m[3]!, MONTHS.indexOf(m[2]!) + 1, +m[1]!);
      if (d) return d;
    }
  }
  return null;
}

// Lines at the top that name no shop.
const NOT_MERCHANT = /^(RECEIPT|SALES RECEIPT|TAX INVOICE|INVOICE|WELCOME|THANK YOU|ORDER|DATE|TABLE|TEL|PHONE|STORE\s*#)/i;

/**
 * The merchant: the first of the top lines that reads like a name (mostly letters, not an
 * address, phone, date or amount). On an unsure reading the line must also be read with confidence.
 */
function findMerchant(lines: { text: string; confidence: number }[]): string | null {
  for (const { text, confidence } of lines.slice(0, 4)) {
    // Stray marks at the ends: a speck read as "|", "'", ":" or ".".
    const name = text.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N})'’]+$/gu, '').replace(/\s+/g, ' ');
    // An item line (it ends in an amount) or a date line names no shop.
    if (name.length < 3 || NOT_MERCHANT.test(name) || parseAmount(text) !== null || findDate([text], null, false)) continue;
    const letters = (name.match(/\p{L}/gu) ?? []).length;
    if (letters < 3 || letters / name.replace(/\s/g, '').length < 0.6) continue;
    if (/^\d/.test(name) && !/^\d+\s*\p{L}{3,}/u.test(name)) continue;
    if (confidence < 0.5) return null;
    return name.slice(0, MAX_MERCHANT);
  }
  return null;
}

function findLineItems(lines: string[], total: number | null, whole: boolean): LineItem[] {
  const items: LineItem[] = [];
  for (const line of lines) {
    const upper = line.toUpperCase();
    // The items end where the sums begin.
    if (SUMMARY.test(upper)) break;
    if (PAYMENT.test(upper)) continue;
    const amount = amountOf(line, whole);
    if (amount === null) continue;
    const description = labelOf(line, whole).replace(/[^\p{L}\p{N})%]+$/u, '').replace(/^[^\p{L}\p{N}]+/u, '');
    if ((description.match(/\p{L}/gu) ?? []).length < 2) continue;
    // A date or time line is not an item.
    if (/\d{1,2}[:/.]\d{2}[:/.]?\d{0,4}\s*$/.test(description) && !/[a-z]{3}/i.test(description)) continue;
    if (total !== null && amount > total) continue;
    items.push({ description: description.slice(0, MAX_ITEM_DESCRIPTION), amount });
    if (items.length === MAX_LINE_ITEMS) break;
  }
  return items;
}

/** Everything a receipt's text says, unknown fields null. */
export function extract(reading: TextReading): Extraction {
  const texts = reading.lines.map((l) => l.text);
  const currency = findCurrency(texts);
  const whole = currency !== null && ZERO_DECIMAL.has(currency);
  const total = findTotal(texts, whole);
  const dollar = texts.some((t) => t.includes('$'));
  return {
    total: total?.value ?? null,
    date: findDate(texts, currency, dollar),
    merchant: findMerchant(reading.lines),
    currency,
    lineItems: findLineItems(texts, total?.value ?? null, whole),
    confidence: total ? Math.round(reading.confidence * total.strength * 100) / 100 : 0,
  };
}
