/**
 * Services one plugin provides to the plugins that depend on it. The contracts live here, in
 * core, so that provider and user meet without importing each other: the provider declares
 * `provides: { spending: (platform) => … }`, a user declares the provider in `dependencies`
 * and the service in `uses`, and calls `platform.services.spending`.
 */
export interface Services {
  spending: SpendingService;
}

export type ServiceName = keyof Services;

/** A span of time to total expenses over. */
export interface SpendingWindow {
  /** Echoed on each result, to tell windows apart. */
  key: string;
  /** ISO 8601 UTC instants: `from` inclusive, `to` exclusive. */
  from: string;
  to: string;
  /** Only this category; every category when absent. */
  category?: string;
}

export interface SpendingQuery {
  userId: string;
  /** Every amount is converted into this currency at the rate of its expense's own day. */
  currency: string;
  /** At most 400; an expense in two windows counts in both. */
  windows: readonly SpendingWindow[];
  /** Only expenses or only income; both (told apart by `type`) when absent. */
  type?: 'expense' | 'income';
  /** Totals per window and type, or per window, type and category or merchant. */
  groupBy?: 'category' | 'merchant';
  /** With `groupBy`: only the `top` largest groups of each window and type. */
  top?: number;
}

export interface SpendingTotal {
  key: string;
  type: 'expense' | 'income';
  /** The category or merchant with `groupBy` (null for expenses without a merchant), else null. */
  group: string | null;
  /** Converted, rounded to the currency's minor unit; pending expenses are not in it. */
  amount: number;
  /** Expenses counted in `amount`. */
  count: number;
  /** Expenses whose rate for their day is not held yet: not counted, never guessed. */
  pendingCount: number;
}

export interface SpendingService {
  /** Totals in SQL, one row per window, type (and group) that has any expense. */
  totals(query: SpendingQuery): Promise<SpendingTotal[]>;
}
