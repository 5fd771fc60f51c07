import { currencyInfo } from '../../core/money.ts';

/** Rounds to the currency's minor unit (JPY 0 decimals, EUR 2, BHD 3): sums of rounded amounts carry float noise. */
export function roundMoney(amount: number, currency: string): number {
  const scale = 10 ** (currencyInfo(currency)?.digits ?? 2);
  // + 0 turns -0 (a negative noise rounded away) into 0.
  return Math.round(amount * scale) / scale + 0;
}

/** A ratio as a percentage with 2 decimals. */
export const percent = (part: number, whole: number) => Math.round((part / whole) * 10_000) / 100 + 0;

/**
 * Each amount's share of their sum in percent with 2 decimals, adding up to exactly 100:
 * the hundredths lost to rounding down go to the largest remainders (Hamilton's method),
 * so a pie chart always closes. All zeros when the sum is 0.
 */
export function shares(amounts: readonly number[]): number[] {
  const total = amounts.reduce((a, b) => a + b, 0);
  if (total <= 0) return amounts.map(() => 0);
  const exact = amounts.map((a) => (a / total) * 10_000);
  const floors = exact.map(Math.floor);
  let left = 10_000 - floors.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - floors[i]! })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    floors[i]!++;
    left--;
  }
  return floors.map((f) => f / 100);
}
