import type { DomainEvents, EventName } from '../../core/events.ts';
import { currencyInfo } from '../../core/money.ts';
import type { NotificationData, NotificationType } from './tables.ts';

/** What an event becomes: the in-app notification, and the email's subject and text when wanted. */
export interface NotificationDraft {
  type: NotificationType;
  title: string;
  message: string;
  data: NotificationData;
  /** false: an email only (the welcome), no in-app notification, no push. */
  inApp?: false;
}

/** Events that concern one user: the ones a notification can be about. */
export type UserEventName = { [K in EventName]: DomainEvents[K] extends { userId: string } ? K : never }[EventName];

export type Templates = { [K in UserEventName]?: (payload: DomainEvents[K]) => NotificationDraft };

export const money = (amount: number, currency: string) => {
  try {
    // ISO 4217's digits, as the amounts are kept (Intl shows IQD or ALL with none).
    const digits = currencyInfo(currency)?.digits;
    return new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
  } catch {
    return `${amount} ${currency}`; // a code Intl does not know: still readable
  }
};

// A notification's data values are at most 200 characters (schemas.ts): a user agent can be longer.
const short = (text: string | null) => (text === null ? null : text.slice(0, 200));

/**
 * One entry per event the plugin turns into a notification; the listeners are built from this
 * map (index.ts), so a new event needs only its template here.
 */
export const templates = {
  'budget.threshold_crossed': (e) => ({
    type: 'budget_alert',
    title: e.level === 'exceeded' ? `Budget exceeded: ${e.name}` : `Budget alert: ${e.name}`,
    message:
      e.level === 'exceeded'
        ? `You have spent ${money(e.spent, e.currency)} of your ${money(e.amount, e.currency)} budget “${e.name}” (${e.percentageUsed}%).`
        : `You have used ${e.percentageUsed}% of your budget “${e.name}”: ${money(e.spent, e.currency)} of ${money(e.amount, e.currency)}.`,
    data: {
      budgetId: e.budgetId,
      level: e.level,
      threshold: e.threshold,
      percentageUsed: e.percentageUsed,
      spent: e.spent,
      amount: e.amount,
      currency: e.currency,
      periodStart: e.periodStart,
      periodEnd: e.periodEnd,
    },
  }),
  'goal.milestone_reached': (e) => ({
    type: 'goal_milestone',
    title: `Goal milestone: ${e.title}`,
    message: `You reached ${e.milestone}% of your goal “${e.title}”: ${money(e.currentAmount, e.currency)} of ${money(e.targetAmount, e.currency)}.`,
    data: { goalId: e.goalId, milestone: e.milestone, currentAmount: e.currentAmount, targetAmount: e.targetAmount, currency: e.currency },
  }),
  'goal.achieved': (e) => ({
    type: 'goal_achieved',
    title: `Goal achieved: ${e.title}`,
    message: `Congratulations! You reached your goal “${e.title}” of ${money(e.targetAmount, e.currency)}.`,
    data: { goalId: e.goalId, currentAmount: e.currentAmount, targetAmount: e.targetAmount, currency: e.currency },
  }),
  'split.reminder': (e) => ({
    type: 'split_reminder',
    title: `Payment reminder: ${e.description}`,
    message: `${e.fromName} reminds you that you owe ${money(e.amount, e.currency)} for “${e.description}” in ${e.groupName}.`,
    data: { splitId: e.splitId, groupId: e.groupId, fromUserId: e.fromUserId, amount: e.amount, currency: e.currency },
  }),
  'recurring.expense_created': (e) => ({
    type: 'recurring_expense',
    title: `Recurring expense added: ${e.description}`,
    message: `${money(e.amount, e.currency)} for “${e.description}” was added for ${e.date}.`,
    data: { recurringId: e.recurringId, expenseId: e.expenseId, amount: e.amount, currency: e.currency, date: e.date },
  }),
  'user.registered': (e) => ({
    type: 'welcome',
    // The account's first screen says welcome already; a notification would only repeat it.
    inApp: false,
    title: `Welcome to ExpenseFlow, ${e.name}`,
    message:
      'Your account is ready. Add your first expense, set a budget for what matters to you and a savings goal; we will tell you when a budget runs low or a goal is reached.',
    data: {},
  }),
  'security.new_device': (e) => ({
    type: 'security_alert',
    title: 'New sign-in to your account',
    message: `Your account was signed in from ${e.deviceName ?? 'an unknown device'}${e.ip ? ` (${e.ip})` : ''} at ${e.at.slice(0, 16).replace('T', ' ')} UTC. If this was not you, sign that session out and change your password.`,
    data: { sessionId: e.sessionId, deviceName: short(e.deviceName), ip: short(e.ip), userAgent: short(e.userAgent), at: e.at },
  }),
} satisfies Templates;
