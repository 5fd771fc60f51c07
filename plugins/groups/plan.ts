/** A member's net position in minor units of the group currency: positive is owed money. */
export interface Position {
  userId: string;
  balance: number;
}

export interface PlannedTransfer {
  from: string;
  to: string;
  /** Minor units, a positive integer. */
  amount: number;
}

const byLargest = (a: Position, b: Position) => Math.abs(b.balance) - Math.abs(a.balance) || (a.userId < b.userId ? -1 : 1);

/**
 * Transfers that bring every balance to exactly 0: first every debtor whose debt equals a
 * creditor's claim pays that creditor (one transfer settles two people), then the largest debtor
 * pays the largest creditor until none is left. Each transfer settles at least one person and
 * the last settles two, so k people with a balance need at most k - 1 transfers. Finding the
 * true minimum is NP-hard (it partitions the balances into zero-sum groups); this is the usual
 * compromise. Deterministic: ties go by user id.
 */
export function planSettlements(positions: readonly Position[]): PlannedTransfer[] {
  let sum = 0;
  for (const p of positions) {
    if (!Number.isSafeInteger(p.balance)) throw new RangeError(`balance of ${p.userId} is not an integer of minor units`);
    sum += p.balance;
  }
  if (sum !== 0) throw new RangeError(`balances sum to ${sum}, not 0`);

  let creditors = positions.filter((p) => p.balance > 0).map((p) => ({ ...p })).sort(byLargest);
  let debtors = positions.filter((p) => p.balance < 0).map((p) => ({ ...p })).sort(byLargest);
  const transfers: PlannedTransfer[] = [];

  for (const debtor of debtors) {
    const match = creditors.find((c) => c.balance > 0 && c.balance === -debtor.balance);
    if (!match) continue;
    transfers.push({ from: debtor.userId, to: match.userId, amount: match.balance });
    match.balance = 0;
    debtor.balance = 0;
  }
  creditors = creditors.filter((p) => p.balance !== 0);
  debtors = debtors.filter((p) => p.balance !== 0);

  while (creditors.length > 0 && debtors.length > 0) {
    const creditor = creditors[0]!;
    const debtor = debtors[0]!;
    const amount = Math.min(creditor.balance, -debtor.balance);
    transfers.push({ from: debtor.userId, to: creditor.userId, amount });
    creditor.balance -= amount;
    debtor.balance += amount;
    creditors = creditors.filter((p) => p.balance !== 0).sort(byLargest);
    debtors = debtors.filter((p) => p.balance !== 0).sort(byLargest);
  }
  return transfers;
}
