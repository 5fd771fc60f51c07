import { z } from '@hono/zod-openapi';
import { isCurrency } from './money.ts';

/** An ISO 4217 code as clients send it ("usd", " EUR "), normalised to upper case. */
export const CurrencyCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCurrency, 'must be an ISO 4217 currency code')
  .openapi({ example: 'USD', description: 'ISO 4217 code' });

/** A day (YYYY-MM-DD) or an ISO 8601 date-time with its offset. */
export const DayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
