import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/http/errors.ts';
import { allocate, computeShares, toBasisPoints } from './arithmetic.ts';

// Totals up to 10^15 minor units: MAX_AMOUNT (10^12) in a currency with 3 digits.
const total = fc.integer({ min: 0, max: 1e15 });
const weights = fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 100 });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function detailOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, ...err.details?.[0] };
    throw err;
  }
  throw new Error('did not throw');
}

describe('allocate', () => {
  it('always adds up to the total exactly', () => {
    fc.assert(fc.property(total, weights, (t, w) => sum(allocate(t, w)) === t));
  });

  it('never gives a negative part, and each part is within one unit above its exact proportion', () => {
    fc.assert(
      fc.property(total, weights, (t, w) => {
        const parts = allocate(t, w);
        const W = BigInt(sum(w));
        return parts.every((p, i) => {
          const floor = (BigInt(t) * BigInt(w[i]!)) / W;
          return p >= 0 && (BigInt(p) === floor || BigInt(p) === floor + 1n);
        });
      }),
    );
  });

  it('gives the leftover units to the first parts in list order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 200 }), (t, n) => {
        const parts = allocate(t, Array(n).fill(1));
        const floor = Math.floor(t / n);
        const extra = t - floor * n;
        return parts.every((p, i) => p === floor + (i < extra ? 1 : 0));
      }),
    );
  });

  it('is deterministic: the same input gives the same parts', () => {
    fc.assert(fc.property(total, weights, (t, w) => JSON.stringify(allocate(t, w)) === JSON.stringify(allocate(t, [...w]))));
  });

  it('splits 100.00 in three as 33.34, 33.33, 33.33', () => {
    expect(allocate(10_000, [1, 1, 1])).toEqual([3334, 3333, 3333]);
  });

  it('rejects what is not a division', () => {
    expect(() => allocate(100, [])).toThrow(RangeError);
    expect(() => allocate(100, [1, 0])).toThrow(RangeError);
    expect(() => allocate(-1, [1])).toThrow(RangeError);
    expect(() => allocate(0.5, [1])).toThrow(RangeError);
  });
});

describe('computeShares', () => {
  const people = (n: number) => Array.from({ length: n }, (_, i) => ({ userId: `u${i}` }));

  it('equal: 100.00 USD / 3 → 33.34, 33.33, 33.33; JPY (0 digits) 1000 / 3 → 334, 333, 333', () => {
    expect(computeShares('equal', 10_000, 'USD', people(3)).map((s) => s.amountMinor)).toEqual([3334, 3333, 3333]);
    expect(computeShares('equal', 1000, 'JPY', people(3)).map((s) => s.amountMinor)).toEqual([334, 333, 333]);
  });

  it('equal, percentage and shares always add up to the total with no share at or below 0, or refuse', () => {
    const input = fc.record({
      t: fc.integer({ min: 1, max: 1e15 }),
      ws: fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 50 }),
      method: fc.constantFrom('equal' as const, 'shares' as const),
    });
    fc.assert(
      fc.property(input, ({ t, ws, method }) => {
        const ps = ws.map((w, i) => ({ userId: `u${i}`, ...(method === 'shares' && { shares: w }) }));
        const expectZero = allocate(t, method === 'shares' ? ws : ws.map(() => 1)).some((a) => a === 0);
        if (expectZero) return detailOf(() => computeShares(method, t, 'USD', ps)).status === 400;
        const shares = computeShares(method, t, 'USD', ps);
        return sum(shares.map((s) => s.amountMinor)) === t && shares.every((s) => s.amountMinor > 0);
      }),
    );
  });

  it('percentage: any split of 100% in basis points adds up exactly', () => {
    // Cut points of 0..10000 make percentages that add up to 100 with two decimals.
    const cuts = fc.uniqueArray(fc.integer({ min: 1, max: 9_999 }), { maxLength: 20 }).map((xs) => [0, ...xs.sort((a, b) => a - b), 10_000]);
    fc.assert(
      fc.property(fc.integer({ min: 10_000, max: 1e15 }), cuts, (t, cs) => {
        const ps = cs.slice(1).map((c, i) => ({ userId: `u${i}`, percentage: (c - cs[i]!) / 100 }));
        const shares = computeShares('percentage', t, 'EUR', ps);
        return sum(shares.map((s) => s.amountMinor)) === t && shares.every((s, i) => s.weight === cs[i + 1]! - cs[i]!);
      }),
    );
  });

  it('exact: amounts that add up are kept as sent', () => {
    const shares = computeShares('exact', 7500, 'USD', [
      { userId: 'a', amount: 50 },
      { userId: 'b', amount: 25 },
    ]);
    expect(shares).toEqual([
      { userId: 'a', amountMinor: 5000, weight: null },
      { userId: 'b', amountMinor: 2500, weight: null },
    ]);
  });

  it('refuses with a 400 naming the field', () => {
    const at = (fn: () => unknown) => {
      const d = detailOf(fn);
      return `${d.status} ${d.path}`;
    };
    expect(at(() => computeShares('exact', 7500, 'USD', [{ userId: 'a', amount: 50 }, { userId: 'b', amount: 20 }]))).toBe('400 json.participants');
    expect(at(() => computeShares('exact', 7500, 'USD', [{ userId: 'a', amount: 75.001 }]))).toBe('400 json.participants.0.amount');
    expect(at(() => computeShares('exact', 7500, 'USD', [{ userId: 'a', amount: 80 }, { userId: 'b', amount: -5 }]))).toBe('400 json.participants.1.amount');
    expect(at(() => computeShares('exact', 7500, 'USD', [{ userId: 'a', amount: 75 }, { userId: 'b', amount: 0 }]))).toBe('400 json.participants.1.amount');
    expect(at(() => computeShares('exact', 7500, 'USD', [{ userId: 'a' }]))).toBe('400 json.participants.0.amount');
    expect(at(() => computeShares('percentage', 7500, 'USD', [{ userId: 'a', percentage: 50 }, { userId: 'b', percentage: 49.99 }]))).toBe('400 json.participants');
    expect(at(() => computeShares('percentage', 7500, 'USD', [{ userId: 'a', percentage: 100.5 }]))).toBe('400 json.participants.0.percentage');
    expect(at(() => computeShares('percentage', 7500, 'USD', [{ userId: 'a', percentage: 99.999 }, { userId: 'b', percentage: 0.001 }]))).toBe(
      '400 json.participants.0.percentage',
    );
    expect(at(() => computeShares('percentage', 1, 'USD', [{ userId: 'a', percentage: 99 }, { userId: 'b', percentage: 1 }]))).toBe('400 json.participants.1.percentage');
    expect(at(() => computeShares('shares', 2, 'USD', [{ userId: 'a', shares: 1 }, { userId: 'b', shares: 1 }, { userId: 'c', shares: 1 }]))).toBe(
      '400 json.participants.2.shares',
    );
    expect(at(() => computeShares('equal', 2, 'JPY', people(3)))).toBe('400 json.participants');
    expect(at(() => computeShares('equal', 100, 'USD', [{ userId: 'a', shares: 2 }]))).toBe('400 json.participants.0.shares');
    expect(at(() => computeShares('equal', 100, 'USD', []))).toBe('400 json.participants');
  });

  it('reads percentages from their decimal text', () => {
    expect(toBasisPoints(33.33, 'p')).toBe(3333);
    expect(toBasisPoints(0.1, 'p')).toBe(10);
    expect(toBasisPoints(100, 'p')).toBe(10_000);
    expect(() => toBasisPoints(0, 'p')).toThrow(AppError);
    expect(() => toBasisPoints(1e-7, 'p')).toThrow(AppError);
  });
});
