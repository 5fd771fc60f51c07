import { z } from '@hono/zod-openapi';
import { isCurrency } from './money.ts';

const CURRENCY_MESSAGE = 'must be an ISO 4217 currency code';

/** An ISO 4217 code as clients send it ("usd", " EUR "), normalised to upper case. */
export const CurrencyCode = z
  .string()
  .trim()
  .toUpperCase()
  // Every code is 3 letters: a longer text fails here, with the same message, before the lookup.
  .max(3, { message: CURRENCY_MESSAGE, abort: true })
  .refine(isCurrency, CURRENCY_MESSAGE)
  .openapi({ example: 'USD', description: 'ISO 4217 code' });

/** A device's own name for itself: what realtime sync uses to spare it the echo of its own changes. */
export const DEVICE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The optional X-Device-Id of a write to a synced entity, for the document only: core/app.ts
 * checks it on every write, so a route-level header validator (which makes Hono build a
 * `Headers` of the whole request) would check it a second time.
 */
export const DeviceIdParameter = {
  name: 'x-device-id',
  in: 'header',
  required: false,
  description: 'This device: realtime sync sends the change to the user’s other devices, not back to it',
  schema: { type: 'string', maxLength: 64, pattern: DEVICE_ID.source, example: 'phone-7f3a' },
} as const;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const intFormat = (min: number, max: number) => (min >= INT32_MIN && max <= INT32_MAX ? 'int32' : 'int64');

/**
 * An integer from `min` to `max`, documented with both bounds and the format that holds them
 * (int32, else int64): the project rule for every integer of the document.
 */
export const Integer = (min: number, max: number) => z.number().int().min(min).max(max).openapi({ format: intFormat(min, max) });

/** The same, read from a query string. */
export const QueryInteger = (min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).openapi({ format: intFormat(min, max) });

/** An instant as the API writes it (`Date#toISOString`, 24 characters), bounded generously. */
export const Instant = z.string().max(40).openapi({ example: '2024-01-15T12:00:00.000Z' });

/** A day (YYYY-MM-DD) or an ISO 8601 date-time with its offset. */
export const DayOrInstant = z.union([z.iso.date().max(10), z.iso.datetime({ offset: true }).max(40)]);

/**
 * What every delete answers: 200 with a body, because the original ExpenseFlow clients call
 * `response.json()` on it (API.md allows 200 or 204).
 */
export const Deleted = z
  .object({
    success: z.literal(true),
    message: z.string().max(200).openapi({ example: 'Expense deleted' }),
  })
  .openapi('Deleted');
