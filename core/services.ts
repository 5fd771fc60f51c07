import type { BatchItem } from 'drizzle-orm/batch';

/**
 * Services one plugin provides to the plugins that depend on it. The contracts live here, in
 * core, so that provider and user meet without importing each other: the provider declares
 * `provides: { spending: (platform) => … }`, a user declares the provider in `dependencies`
 * and the service in `uses`, and calls `platform.services.spending`.
 */
export interface Services {
  spending: SpendingService;
  expenses: ExpensesService;
  groups: GroupsService;
  outbox: OutboxService;
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

/** An expense as other plugins see it: in its own currency, with its owner (the payer). */
export interface ExpenseRecord {
  id: string;
  userId: string;
  description: string;
  amount: number;
  /** `amount` in integer minor units of `currency` (ISO 4217 digits). */
  amountMinor: number;
  currency: string;
  category: string;
  type: 'expense' | 'income';
  /** ISO 8601 UTC instant; its first ten characters pick the exchange-rate day. */
  date: string;
  merchant: string | null;
  createdAt: string;
}

/** What POST /api/expenses takes (already validated by the caller's schema; the service checks the rest). */
export interface NewExpense {
  description: string;
  amount: number;
  currency?: string;
  category: string;
  type?: 'expense' | 'income';
  /** YYYY-MM-DD or an ISO 8601 date-time; now when absent. */
  date?: string;
  notes?: string | null;
  merchant?: string | null;
}

/** A change to an expense: only the fields given change (as PUT /api/expenses/{id} takes them). */
export interface ExpensePatch {
  description?: string;
  amount?: number;
  currency?: string;
  category?: string;
  type?: 'expense' | 'income';
  date?: string;
  notes?: string | null;
  tags?: string[];
  merchant?: string | null;
  paymentMethod?: string | null;
}

/** An entity as the change log and realtime sync show it: its version and its data. */
export interface SyncedState {
  version: number;
  data: Record<string, unknown>;
}

/** Who writes, from which device (the change is logged with it; no echo goes back to it). */
export interface SyncWriter {
  id: string;
  /** The user's display currency. */
  currency: string;
  deviceId: string | null;
}

/**
 * One write prepared for the caller's own `db.batch` (its change already logged in it through
 * platform.changes): the statements, then `committed()` once the batch has landed (the
 * provider's domain events; the caller announces the log with platform.changes.committed).
 */
export interface PreparedWrite {
  statements: BatchItem<'sqlite'>[];
  committed(): Promise<void>;
}

/**
 * Writes of one synced entity for offline edits (POST /api/sync/delta): checked as its own
 * routes check them (AppError 400s), each logging exactly one change. Version checks and
 * conflicts are the caller's; these write what they are told.
 */
export interface SyncedWrites<Create, Patch> {
  /** The user's entities by id, as the change log shows them; absent (or another user's) ids are left out. At most 500 ids. */
  current(userId: string, ids: readonly string[]): Promise<Map<string, SyncedState>>;
  create(writer: SyncWriter, input: Create): Promise<PreparedWrite & { id: string }>;
  /** `id` must be the writer's (read with `current`): its version goes up by one. */
  update(writer: SyncWriter, id: string, patch: Patch): Promise<PreparedWrite>;
  delete(writer: SyncWriter, id: string): PreparedWrite;
}

export interface ExpensesService {
  /** Expenses by id, whoever owns them (the caller decides who may see what); unknown ids are left out. At most 500 ids. */
  find(ids: readonly string[]): Promise<ExpenseRecord[]>;
  /**
   * Creates an expense of `owner` as POST /api/expenses does (same checks as AppError 400s, same
   * `expense.created` event). `also` adds the caller's statements to the same batch, given the
   * new expense's id: a link to it lands with it or not at all.
   */
  create(owner: { id: string; currency: string }, input: NewExpense, also?: (expenseId: string) => BatchItem<'sqlite'>[]): Promise<ExpenseRecord>;
  /** Offline edits of expenses (the sync plugin's delta). */
  synced: SyncedWrites<NewExpense, ExpensePatch>;
}

export interface GroupMember {
  userId: string;
  name: string;
  email: string;
  role: 'admin' | 'member';
  isActive: boolean;
}

export interface GroupInfo {
  id: string;
  name: string;
  /** ISO 4217: balances and settlements are in it. */
  currency: string;
  defaultSplitMethod: 'equal' | 'exact' | 'percentage' | 'shares';
  members: GroupMember[];
}

/** One movement in a group's ledger: `from` owes (debt) or paid (payment) `to` an amount in `currency`. */
export interface LedgerEntry {
  groupId: string;
  kind: 'debt' | 'payment';
  fromUserId: string;
  toUserId: string;
  amountMinor: number;
  currency: string;
  /** ISO 8601 UTC instant: its day picks the rate that converts the entry into the group's currency. */
  date: string;
  /** What the entry comes from (a split's id, a settlement's id), for the record. */
  sourceId: string;
}

export interface GroupsService {
  /** The group when `userId` is one of its active members, else null (a non-member sees nothing). */
  visibleTo(groupId: string, userId: string): Promise<GroupInfo | null>;
  /**
   * Statements that add entries to the group's ledger (which its balances sum), for the
   * caller's own `db.batch`: a split and the debts it creates land together or not at all.
   */
  ledgerStatements(entries: readonly LedgerEntry[]): BatchItem<'sqlite'>[];
}

/** An email as the outbox holds it, with the parts it is (or was) sent with. */
export interface OutboxMessage {
  id: string;
  type: string;
  subject: string;
  text: string;
  html: string;
  status: 'pending' | 'sending' | 'sent' | 'logged' | 'failed' | 'cancelled';
  attempts: number;
  failure: string | null;
  providerMessageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxService {
  /** The user's own emails, newest first, at most `limit` (200). */
  messagesOf(userId: string, limit: number): Promise<OutboxMessage[]>;
}
