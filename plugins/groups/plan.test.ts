import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSettlements, type Position } from './plan.ts';

/** Balances of up to 30 people summing to 0: random amounts, the last one takes the rest. */
const balances = fc
  .array(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), { minLength: 0, maxLength: 29 })
  .chain((amounts) => {
    const all = [...amounts, 0 - amounts.reduce((s, a) => s + a, 0)];
    return fc.constant(all.map((balance, i): Position => ({ userId: `u${String(i).padStart(2, '0')}`, balance })));
  });

function apply(positions: readonly Position[], transfers: ReturnType<typeof planSettlements>) {
  const left = new Map(positions.map((p) => [p.userId, p.balance]));
  for (const t of transfers) {
    // The payer's debt shrinks (balance rises), the payee's claim shrinks.
    left.set(t.from, left.get(t.from)! + t.amount);
    left.set(t.to, left.get(t.to)! - t.amount);
  }
  return left;
}

describe('the settlement plan', () => {
  it('brings every balance to exactly 0 with at most n - 1 positive transfers between different people', () => {
    fc.assert(
      fc.property(balances, (positions) => {
        const transfers = planSettlements(positions);
        for (const balance of apply(positions, transfers).values()) expect(balance === 0).toBe(true);
        const withBalance = positions.filter((p) => p.balance !== 0).length;
        expect(transfers.length).toBeLessThanOrEqual(Math.max(0, withBalance - 1));
        for (const t of transfers) {
          expect(t.from).not.toBe(t.to);
          expect(Number.isSafeInteger(t.amount) && t.amount > 0).toBe(true);
          // Only debtors pay and only creditors are paid.
          expect(positions.find((p) => p.userId === t.from)!.balance).toBeLessThan(0);
          expect(positions.find((p) => p.userId === t.to)!.balance).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('pays an equal debt and claim in one transfer', () => {
    expect(
      planSettlements([
        { userId: 'a', balance: 500 },
        { userId: 'b', balance: 300 },
        { userId: 'c', balance: -300 },
        { userId: 'd', balance: -500 },
      ]),
    ).toEqual([
      { from: 'd', to: 'a', amount: 500 },
      { from: 'c', to: 'b', amount: 300 },
    ]);
  });

  it('matches the largest debtor with the largest creditor', () => {
    expect(
      planSettlements([
        { userId: 'a', balance: 700 },
        { userId: 'b', balance: -400 },
        { userId: 'c', balance: -200 },
        { userId: 'd', balance: -100 },
        { userId: 'e', balance: 0 },
      ]),
    ).toEqual([
      { from: 'b', to: 'a', amount: 400 },
      { from: 'c', to: 'a', amount: 200 },
      { from: 'd', to: 'a', amount: 100 },
    ]);
    expect(planSettlements([])).toEqual([]);
  });

  it('refuses balances that do not sum to 0 or are not minor units', () => {
    expect(() => planSettlements([{ userId: 'a', balance: 1 }])).toThrow(RangeError);
    expect(() => planSettlements([{ userId: 'a', balance: 0.5 }, { userId: 'b', balance: -0.5 }])).toThrow(RangeError);
  });
});
