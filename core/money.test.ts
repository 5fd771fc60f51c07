import currencyCodes from 'currency-codes';
import { describe, expect, it } from 'vitest';
import { AppError } from './http/errors.ts';
import { convertMinor, currencyInfo, fromMinor, isCurrency, MAX_CURRENCIES, toMinor } from './money.ts';

const rejects = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a rejection');
};

describe('money', () => {
  it('knows no more currencies, no longer names and no more decimals than the document says', () => {
    const spendable = currencyCodes.data.filter((c) => isCurrency(c.code)).map((c) => currencyInfo(c.code)!);
    expect(spendable.length).toBeGreaterThan(100);
    expect(spendable.length).toBeLessThanOrEqual(MAX_CURRENCIES);
    for (const { code, name, digits } of spendable) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect(name.length).toBeLessThanOrEqual(100);
      expect([0, 1, 2, 3, 4]).toContain(digits);
    }
  });

  it('keeps integer minor units at ISO 4217 precision', () => {
    expect(toMinor(25.5, 'USD')).toBe(2550);
    expect(toMinor(19.99, 'USD')).toBe(1999); // 19.99 * 100 is 1998.9999999999998 in floats
    expect(toMinor(3000, 'JPY')).toBe(3000);
    expect(toMinor(1.234, 'BHD')).toBe(1234);
    expect(toMinor(999_999_999_999.99, 'USD')).toBe(99_999_999_999_999);
    expect(fromMinor(2550, 'USD')).toBe(25.5);
    expect(fromMinor(1234, 'BHD')).toBe(1.234);
  });

  it('refuses more decimals than the currency allows', () => {
    expect(rejects(() => toMinor(10.5, 'JPY')).details?.[0]?.message).toMatch(/JPY allows \(0\)/);
    expect(rejects(() => toMinor(1.001, 'USD')).code).toBe('VALIDATION_FAILED');
    expect(rejects(() => toMinor(1e-7, 'USD')).code).toBe('VALIDATION_FAILED');
  });

  it('refuses zero, negative, huge and unknown', () => {
    expect(rejects(() => toMinor(0, 'USD')).code).toBe('VALIDATION_FAILED');
    expect(rejects(() => toMinor(-5, 'USD')).code).toBe('VALIDATION_FAILED');
    expect(rejects(() => toMinor(1e12, 'USD')).code).toBe('VALIDATION_FAILED');
    expect(rejects(() => toMinor(5, 'ABC')).code).toBe('UNKNOWN_CURRENCY');
  });

  it('knows spendable currencies only', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(currencyInfo('KWD')?.digits).toBe(3);
    expect(isCurrency('XAU')).toBe(false);
    expect(isCurrency('usd')).toBe(false);
  });

  it('converts between precisions and rounds to the target', () => {
    // 3000 JPY at 0.006888 USD/JPY = 20.664 USD → 2066 cents
    expect(convertMinor(3000, 'JPY', 'USD', 0.006888)).toBe(2066);
    expect(convertMinor(2066, 'USD', 'JPY', 145.18)).toBe(2999);
  });
});
