import { describe, expect, it } from 'vitest';
import { roundMoney, shares } from './numbers.ts';

describe('shares', () => {
  it('adds up to exactly 100, the lost hundredth going to the largest remainder', () => {
    expect(shares([1, 1, 1])).toEqual([33.34, 33.33, 33.33]);
    expect(shares([800, 600, 1800])).toEqual([25, 18.75, 56.25]);
    expect(shares([2, 1, 1, 1, 1, 1]).reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
  });

  it('is all zeros for nothing spent', () => {
    expect(shares([])).toEqual([]);
    expect(shares([0, 0])).toEqual([0, 0]);
  });
});

describe('roundMoney', () => {
  it("rounds to the currency's minor unit, without -0", () => {
    expect(roundMoney(0.1 + 0.2, 'EUR')).toBe(0.3);
    expect(roundMoney(1234.5, 'JPY')).toBe(1235);
    expect(roundMoney(1.23456, 'BHD')).toBe(1.235);
    expect(Object.is(roundMoney(-0.001, 'USD'), 0)).toBe(true);
  });
});
