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
