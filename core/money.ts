import currencyCodes from 'currency-codes';
import { AppError } from './http/errors.ts';

/**
 * Money is kept as integer minor units with ISO 4217 precision (JPY 0 decimals, BHD 3) and
 * given back as decimal numbers, as the seed shows them.
 */
export interface CurrencyInfo {
  code: string;
  name: string;
  digits: number;
}

// Precious metals, testing and fund codes (XAU, XTS, XDR, …) are not money one spends.
const spendable = new Map<string, CurrencyInfo>(
  currencyCodes.data
    .filter((c) => !c.countries.some((country) => country.startsWith('Zz')))
    .map((c) => [c.code, { code: c.code, name: c.currency, digits: c.digits }]),
);

/** ISO 4217 lists fewer than 200 codes; core/money.test.ts checks the spendable ones keep within it. */
export const MAX_CURRENCIES = 200;

export const MAX_AMOUNT = 1e12;

export const currencyInfo = (code: string): CurrencyInfo | undefined => spendable.get(code);
export const isCurrency = (code: string): boolean => spendable.has(code);

function digitsOf(code: string): number {
  const info = spendable.get(code);
  if (!info) throw new AppError('UNKNOWN_CURRENCY', `Unknown currency code: ${code}`);
  return info.digits;
}

/**
 * Turns a decimal amount into minor units, exactly: the number's shortest decimal form is
 * read as text, so 0.1 + 0.2 style float noise never reaches the ledger.
 */
export function toMinor(amount: number, currency: string, path = 'amount'): number {
  const digits = digitsOf(currency);
  const invalid = (message: string) => new AppError('VALIDATION_FAILED', 'Invalid amount', [{ path, message }]);
  if (!Number.isFinite(amount) || amount <= 0) throw invalid('must be a positive number');
  if (amount >= MAX_AMOUNT) throw invalid(`must be below ${MAX_AMOUNT}`);
  const text = String(amount);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw invalid(`has more decimals than ${currency} allows (${digits})`);
  const fraction = m[2] ?? '';
  if (fraction.length > digits) throw invalid(`has more decimals than ${currency} allows (${digits})`);
  return Number(m[1]! + fraction.padEnd(digits, '0'));
}

export function fromMinor(minor: number, currency: string): number {
  return minor / 10 ** digitsOf(currency);
}

/** Converts minor units of `from` into minor units of `to` at `factor` (units of `to` per unit of `from`). */
export function convertMinor(minor: number, from: string, to: string, factor: number): number {
  return Math.round((minor / 10 ** digitsOf(from)) * factor * 10 ** digitsOf(to));
}
