import type { Logger } from './logger.ts';
import { errorFields } from './logger.ts';

export type EventName = keyof DomainEvents;
export type EventListener<K extends EventName> = (payload: DomainEvents[K]) => Promise<void> | void;

export interface EventBus {
  on<K extends EventName>(name: K, listener: EventListener<K>): void;
  /**
   * Runs every listener of `name`, called after the write has committed. A failing listener is
   * logged and does not fail the request that emitted the event: the write has already landed.
   */
  emit<K extends EventName>(name: K, payload: DomainEvents[K]): Promise<void>;
}

export function createEventBus(logger: Logger): EventBus {
  const listeners = new Map<string, EventListener<never>[]>();
  return {
    on(name, listener) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener as EventListener<never>]);
    },
    async emit(name, payload) {
      for (const listener of listeners.get(name) ?? []) {
        try {
          await (listener as EventListener<typeof name>)(payload);
        } catch (err) {
          logger.error('event listener failed', { event: name, ...errorFields(err) });
        }
      }
    },
  };
}

/**
 * Domain events by name. Events that cross plugins are declared here, in core, so that the
 * plugin that emits one and the plugins that react to it (notifications, sync) meet without
 * importing each other. A plugin's own events may be added by declaration merging:
 *   declare module '../../core/events.ts' { interface DomainEvents { 'expense.created': {...} } }
 * Amounts are decimal numbers in the named `currency`; instants are ISO 8601 UTC.
 */
export interface DomainEvents {
  /** A budget's spending reached its alert threshold (`warning`) or 100% (`exceeded`) within a period: once per crossing and period. */
  'budget.threshold_crossed': {
    userId: string;
    budgetId: string;
    name: string;
    level: 'warning' | 'exceeded';
    /** The budget's alert threshold, percent. */
    threshold: number;
    percentageUsed: number;
    spent: number;
    amount: number;
    currency: string;
    periodStart: string;
    periodEnd: string;
  };
  /** A goal's saved amount reached 25, 50 or 75% of its target: once per milestone. */
  'goal.milestone_reached': {
    userId: string;
    goalId: string;
    title: string;
    milestone: 25 | 50 | 75;
    currentAmount: number;
    targetAmount: number;
    currency: string;
  };
  /**
   * An in-app notification was stored for the user: realtime sync pushes it to their connected
   * devices as a `notification` event. `notification` is as GET /api/notifications shows it.
   */
  'notification.created': { userId: string; notification: { _id: string; type: string; title: string; message: string; data: unknown; read: boolean; createdAt: string } };
  /**
   * A receipt's reading finished, `done` or `failed` (also when the upload waited for it):
   * realtime sync pushes it to the user's devices as a `receipt_processed` event. `receipt` is
   * as GET /api/receipts/{id} shows it.
   */
  'receipt.processed': { userId: string; receipt: { _id: string; ocrData: { status: 'pending' | 'done' | 'failed' } } & Record<string, unknown> };
  /** A group was deleted with its ledger: what other plugins keep about it (splits) goes too. */
  'group.deleted': { groupId: string; deletedBy: string };
  /** An account was created (register). */
  'user.registered': { userId: string; email: string; name: string };
  /** A split's payer asks a participant to pay their share (at most once a day per participant and split). */
  'split.reminder': {
    /** The participant reminded: the notification's recipient. */
    userId: string;
    splitId: string;
    groupId: string;
    groupName: string;
    fromUserId: string;
    fromName: string;
    description: string;
    /** What the participant still owes, in the expense's currency. */
    amount: number;
    currency: string;
  };
  /** A goal's saved amount reached its target: once per goal. */
  'goal.achieved': {
    userId: string;
    goalId: string;
    title: string;
    currentAmount: number;
    targetAmount: number;
    currency: string;
  };
  /** An occurrence of a recurring expense was created as an expense: once per occurrence. */
  'recurring.expense_created': {
    userId: string;
    recurringId: string;
    expenseId: string;
    description: string;
    amount: number;
    currency: string;
    /** The occurrence's day (YYYY-MM-DD) in the user's time zone. */
    date: string;
  };
  'security.new_device': { userId: string; sessionId: string; deviceName: string | null; ip: string | null; userAgent: string | null; at: string };
}
