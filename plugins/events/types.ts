import { AppError } from '../../core/http/errors.ts';
import { FEED_EVENT_TYPES, type FeedEventType } from '../../core/feed/types.ts';

const known = new Set<string>(FEED_EVENT_TYPES);

/** The types of a `types` list (already shaped by TypesList); an unknown name is a 400 naming `path`. */
export function parseTypes(list: string | undefined, path: string): FeedEventType[] | undefined {
  if (list === undefined) return undefined;
  const names = [...new Set(list.split(','))];
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'Invalid event types', [{ path, message: `unknown event type ${unknown.map((n) => `"${n}"`).join(', ')}` }]);
  }
  return names as FeedEventType[];
}
