import { z } from '@hono/zod-openapi';
import { CurrencyCode, Instant, Integer } from '../../core/schemas.ts';
import { FREQUENCIES } from './tables.ts';

export const MAX_SCHEDULES = 200;

const Day = z.iso
  .date()
  .max(10)
  .refine((v) => v >= '1900-01-01' && v <= '2100-12-31', 'must be between 1900 and 2100')
  .openapi({ example: '2026-01-31', description: 'A calendar day (YYYY-MM-DD) in the user’s time zone' });

const CATEGORY_MESSAGE = 'must be 1 to 40 letters, digits, spaces, - or _';
// The expenses plugin's rule for a category name; whether the user has that category is checked
// when an occurrence is created (through the expenses service).
const Category = z
  .string()
  .trim()
  .toLowerCase()
  .max(40, { message: CATEGORY_MESSAGE, abort: true })
  .refine((name) => /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u.test(name), CATEGORY_MESSAGE)
  .openapi({ example: 'utilities' });

const fields = {
  description: z.string().trim().min(1).max(500).openapi({ example: 'Rent' }),
  amount: z.number().positive().lt(1e12).openapi({ example: 950, description: 'Positive, below 10^12, no more decimals than the currency allows' }),
  currency: CurrencyCode.openapi({ description: "ISO 4217; defaults to the user's display currency" }),
  category: Category,
  type: z.enum(['expense', 'income']),
  frequency: z.enum(FREQUENCIES),
  interval: Integer(1, 366).openapi({ description: 'Every `interval` days, weeks, months or years', example: 1 }),
  startDate: Day.openapi({ description: 'The first occurrence (YYYY-MM-DD, the user’s time zone), at most a year back; a monthly one on the 31st falls on the last day of shorter months' }),
  endDate: Day.nullable().openapi({ description: 'No occurrence after this day; null: no end' }),
  paused: z.boolean(),
};

const endAfterStart = (b: { startDate?: string; endDate?: string | null }) => !b.startDate || !b.endDate || b.endDate >= b.startDate;

export const CreateRecurringBody = z
  .object({
    ...fields,
    currency: fields.currency.optional(),
    type: fields.type.default('expense'),
    interval: fields.interval.default(1),
    endDate: fields.endDate.default(null),
    paused: fields.paused.default(false),
  })
  .refine(endAfterStart, { path: ['endDate'], message: 'must not be before startDate' })
  .openapi('CreateRecurringExpenseRequest');

export const UpdateRecurringBody = z
  .object(fields)
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change')
  .refine(endAfterStart, { path: ['endDate'], message: 'must not be before startDate' })
  .openapi('UpdateRecurringExpenseRequest', {
    minProperties: 1,
    description: 'Only what is sent changes. A new start, frequency or interval applies from the next occurrence not yet created: none is created twice.',
  });

export const RecurringExpense = z
  .object({
    _id: z.string().max(64),
    description: z.string().max(500),
    amount: z.number(),
    currency: z.string().length(3),
    category: z.string().max(40),
    type: z.enum(['expense', 'income']),
    frequency: z.enum(FREQUENCIES),
    interval: Integer(1, 366),
    startDate: z.string().max(10),
    endDate: z.string().max(10).nullable(),
    nextDate: z.string().max(10).nullable().openapi({ description: 'The next occurrence to create; null once past endDate' }),
    paused: z.boolean(),
    lastError: z.string().max(500).nullable().openapi({ description: 'Why the last occurrence could not be created (say, its category was deleted)' }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('RecurringExpense');

export const RecurringList = z.array(RecurringExpense).max(MAX_SCHEDULES).openapi('RecurringExpenseList');

export const RecurringIdParam = z.object({
  id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' }),
});
