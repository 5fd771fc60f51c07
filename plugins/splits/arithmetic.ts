import { AppError } from '../../core/http/errors.ts';
import { toMinor } from '../../core/money.ts';

export const SPLIT_METHODS = ['equal', 'exact', 'percentage', 'shares'] as const;
export type SplitMethod = (typeof SPLIT_METHODS)[number];

/**
 * Divides `totalMinor` (integer minor units) in proportion to `weights`, exactly: each part is
 * first rounded down, then the units left over go one at a time to the parts in list order,
 * first part first. So 10000 / 3 gives 3334, 3333, 3333, the parts always add up to the total,
 * and no part is ever more than one unit above its exact proportional value.
 *
 * BigInt because a total near 10^15 minor units times a weight overflows 2^53.
 */
export function allocate(totalMinor: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0) throw new RangeError('total must be a non-negative safe integer');
  if (weights.length === 0) throw new RangeError('at least one weight');
  if (weights.some((w) => !Number.isSafeInteger(w) || w <= 0)) throw new RangeError('weights must be positive integers');
  const total = BigInt(totalMinor);
  const big = weights.map(BigInt);
  const sum = big.reduce((a, b) => a + b, 0n);
  const parts = big.map((w) => (total * w) / sum);
  let left = total - parts.reduce((a, b) => a + b, 0n);
  // Fewer units are left than there are parts (each floor lost less than one), so one pass is enough.
  for (let i = 0; left > 0n; i++, left--) parts[i]! += 1n;
  return parts.map(Number);
}

/** A participant as the request names them; which of the numbers counts depends on the method. */
export interface ShareRequest {
  userId: string;
  amount?: number | undefined;
  percentage?: number | undefined;
  shares?: number | undefined;
}

export interface Share {
  userId: string;
  amountMinor: number;
  /** Basis points (1/100 of a percent) for `percentage`, the count for `shares`, else null. */
  weight: number | null;
}

const invalid = (path: string, message: string, summary = 'Invalid split') => new AppError('VALIDATION_FAILED', summary, [{ path, message }]);

/** A percentage with at most two decimals as integer basis points, read from its decimal text (no float noise). */
export function toBasisPoints(percentage: number, path: string): number {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(percentage));
  if (!m || percentage <= 0 || percentage > 100) throw invalid(path, 'must be above 0 and at most 100, with at most 2 decimals');
  return Number(m[1]!) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const fieldOf = { equal: null, exact: 'amount', percentage: 'percentage', shares: 'shares' } as const;

/**
 * The shares of a split of `totalMinor` (in `currency`) among `participants`, in their order,
 * or a 400 naming the field at fault: a number the method does not use (or a missing one),
 * amounts that do not add up to the total, percentages that do not add up to 100, or a share
 * that would come out at 0.
 */
export function computeShares(method: SplitMethod, totalMinor: number, currency: string, participants: readonly ShareRequest[]): Share[] {
  const base = 'json.participants';
  if (participants.length === 0) throw invalid(base, 'must name at least one participant');
  const field = fieldOf[method];
  participants.forEach((p, i) => {
    for (const other of ['amount', 'percentage', 'shares'] as const) {
      if (other !== field && p[other] !== undefined) throw invalid(`${base}.${i}.${other}`, `is not used by splitMethod ${method}`);
    }
    if (field && p[field] === undefined) throw invalid(`${base}.${i}.${field}`, `is required by splitMethod ${method}`);
  });

  let amounts: number[];
  let weights: (number | null)[] = participants.map(() => null);
  if (method === 'exact') {
    amounts = participants.map((p, i) => toMinor(p.amount!, currency, `${base}.${i}.amount`));
    const sum = amounts.reduce((a, b) => a + b, 0);
    if (sum !== totalMinor) {
      throw invalid(base, `amounts add up to ${sum} minor units of ${currency}, the expense is ${totalMinor}`, 'Amounts do not add up to the expense');
    }
  } else if (method === 'percentage') {
    weights = participants.map((p, i) => toBasisPoints(p.percentage!, `${base}.${i}.percentage`));
    const sum = weights.reduce((a, b) => a! + b!, 0)!;
    if (sum !== 10_000) throw invalid(base, `percentages add up to ${sum / 100}, not 100`, 'Percentages do not add up to 100');
    amounts = allocate(totalMinor, weights as number[]);
  } else if (method === 'shares') {
    weights = participants.map((p) => p.shares!);
    amounts = allocate(totalMinor, weights as number[]);
  } else {
    amounts = allocate(totalMinor, participants.map(() => 1));
  }

  const zero = amounts.findIndex((a) => a <= 0);
  if (zero >= 0) {
    const path = field ? `${base}.${zero}.${field}` : base;
    throw invalid(path, `would give a share of 0: ${totalMinor} minor units of ${currency} cannot be split this way`, 'A share would be 0');
  }
  return participants.map((p, i) => ({ userId: p.userId, amountMinor: amounts[i]!, weight: weights[i]! }));
}
