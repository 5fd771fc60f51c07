/**
 * The event types of the feed (GET /api/events, webhooks): the public names, stable across
 * versions. `expense.*` and `budget.created|updated|deleted` come from the change log (a
 * trigger, in the write's own transaction); every other type is stored by the plugin that writes
 * its fact, in the same batch (`platform.feed.record`, core/feed/port.ts).
 */
export const FEED_EVENT_TYPES = [
  'expense.created',
  'expense.updated',
  'expense.deleted',
  'budget.created',
  'budget.updated',
  'budget.deleted',
  'budget.threshold_crossed',
  'goal.milestone_reached',
  'goal.achieved',
  'split.created',
  'split.paid',
  'split.reminder',
  'receipt.processed',
  'recurring.expense_created',
] as const;
export type FeedEventType = (typeof FEED_EVENT_TYPES)[number];

/** How long the feed keeps an event: GET /api/events reaches this far back. */
export const FEED_RETENTION_DAYS = 30;
