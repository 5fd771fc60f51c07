import { z } from '@hono/zod-openapi';
import { FEED_EVENT_TYPES, FEED_RETENTION_DAYS } from '../../core/feed/types.ts';
import { Instant, Integer, QueryInteger } from '../../core/schemas.ts';

const MAX_SEQ = Number.MAX_SAFE_INTEGER;
export const MAX_EVENTS_PAGE = 500;
export const DEFAULT_EVENTS_PAGE = 100;

export const FeedEventType = z.enum(FEED_EVENT_TYPES).openapi('FeedEventType');

export const FeedEvent = z
  .object({
    seq: Integer(1, MAX_SEQ).openapi({ description: "The event's place in the user's feed: increasing in the order the events committed" }),
    type: FeedEventType,
    createdAt: Instant,
    data: z.record(z.string().max(100), z.unknown()).openapi({ description: 'What happened, as the API shows it (an expense created: the expense; deleted: its `_id`)' }),
  })
  .openapi('FeedEvent');

export const EventsPage = z
  .object({
    events: z.array(FeedEvent).max(MAX_EVENTS_PAGE),
    next: Integer(0, MAX_SEQ).openapi({ description: 'Ask with after=next for what follows (the last seq read; `after` itself when the page is empty)' }),
    hasMore: z.boolean(),
  })
  .openapi('EventsPage');

/** A comma-separated list of event types (checked against FEED_EVENT_TYPES by the route). */
export const TypesList = z
  .string()
  .max(600)
  .regex(/^[a-z_.]{1,40}(,[a-z_.]{1,40}){0,19}$/)
  .openapi({ description: `Only these types, comma-separated (at most 20): ${FEED_EVENT_TYPES.join(', ')}`, example: 'expense.created,goal.achieved' });

export const EventsQuery = z.object({
  after: QueryInteger(0, MAX_SEQ)
    .default(0)
    .openapi({ description: `The last seq read (0: from the oldest kept; events are kept ${FEED_RETENTION_DAYS} days)` }),
  types: TypesList.optional(),
  limit: QueryInteger(1, MAX_EVENTS_PAGE).default(DEFAULT_EVENTS_PAGE),
});
