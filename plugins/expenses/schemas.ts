import { z } from '@hono/zod-openapi';
import { CurrencyCode, DayOrInstant, Instant, Integer } from '../../core/schemas.ts';
import { MAX_PAGE_SIZE, pagingQuery } from '../../core/http/paging.ts';

export const BUILT_IN_CATEGORIES = [
  'food',
  'transport',
  'shopping',
  'entertainment',
  'utilities',
  'healthcare',
  'education',
  'travel',
  'salary',
  'freelance',
  'investment',
  'other',
] as const;

export const PAYMENT_METHODS = ['cash', 'credit_card', 'debit_card', 'bank_transfer', 'mobile_payment', 'other'] as const;

const CATEGORY_MESSAGE = 'must be 1 to 40 letters, digits, spaces, - or _';

export const CategoryName = z
  .string()
  .trim()
  .toLowerCase()
  // The refinement's own limit, checked first with its message: one issue, as before.
  .max(40, { message: CATEGORY_MESSAGE, abort: true })
  // A refinement, not a regex: the document's `pattern` cannot carry the /u flag letters need.
  .refine((name) => /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u.test(name), CATEGORY_MESSAGE)
  .openapi({ example: 'food', description: `One of ${BUILT_IN_CATEGORIES.join(', ')}, or one of the user's own` });

// A date alone means that day (00:00 UTC); a date-time keeps its instant.
const DateInput = DayOrInstant.refine((v) => {
    const year = new Date(v).getUTCFullYear();
    return year >= 1900 && year <= 2100;
  }, 'must be between 1900 and 2100')
  .openapi({ example: '2024-01-15', description: 'YYYY-MM-DD or an ISO 8601 date-time' });

const Amount = z
  .number()
  .positive()
  .lt(1e12)
  .openapi({ example: 85.3, description: 'Positive, below 10^12, no more decimals than the currency allows' });

const Tags = z.array(z.string().trim().min(1).max(40)).max(20);

const expenseFields = {
  description: z.string().trim().min(1).max(500).openapi({ example: 'Grocery shopping' }),
  amount: Amount,
  currency: CurrencyCode.openapi({ description: "ISO 4217 code; defaults to the user's display currency" }),
  category: CategoryName,
  type: z.enum(['expense', 'income']),
  date: DateInput,
  notes: z.string().trim().max(2000).nullable(),
  tags: Tags,
  merchant: z.string().trim().min(1).max(200).nullable(),
  paymentMethod: z.enum(PAYMENT_METHODS).nullable(),
};

export const CreateExpenseBody = z
  .object({
    ...expenseFields,
    currency: expenseFields.currency.optional(),
    type: expenseFields.type.default('expense'),
    date: expenseFields.date.optional().openapi({ description: 'Defaults to now' }),
    notes: expenseFields.notes.optional(),
    tags: expenseFields.tags.optional(),
    merchant: expenseFields.merchant.optional(),
    paymentMethod: expenseFields.paymentMethod.optional(),
  })
  .openapi('CreateExpenseRequest');

export const UpdateExpenseBody = z
  .object(expenseFields)
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change')
  .openapi('UpdateExpenseRequest', { minProperties: 1 });

// Bounds as the inputs allow (an amount is below 10^12 in its currency; the displayed one is
// converted and left as the number it is).
export const Expense = z
  .object({
    _id: z.string().max(64).openapi({ example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' }),
    description: z.string().max(500),
    amount: z.number().openapi({ example: 25.5, description: 'Same as originalAmount' }),
    originalAmount: z.number().openapi({ example: 25.5 }),
    originalCurrency: z.string().length(3).openapi({ example: 'USD' }),
    displayAmount: z.number().openapi({ example: 25.5, description: "In the user's display currency, at the rate of the expense's date" }),
    displayCurrency: z.string().length(3).openapi({ example: 'USD' }),
    conversionPending: z.boolean().openapi({
      description: 'True when no rate is held for the date yet: the amount is shown in its own currency until one is',
    }),
    category: z.string().max(40).openapi({ example: 'food' }),
    type: z.enum(['expense', 'income']),
    date: Instant,
    notes: z.string().max(2000).nullable(),
    tags: z.array(z.string().max(40)).max(20),
    merchant: z.string().max(200).nullable(),
    paymentMethod: z.enum(PAYMENT_METHODS).nullable(),
    version: Integer(1, Number.MAX_SAFE_INTEGER).openapi({ description: '1 when created, one more on each update (realtime sync)' }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .openapi('Expense');

export const ExpenseList = z.array(Expense).max(MAX_PAGE_SIZE).openapi('ExpenseList');

export const ExpenseIdParam = z.object({
  id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' }),
});

const Decimal = z.coerce.number().nonnegative().lt(1e12);

export const ListExpensesQuery = z.object({
  category: CategoryName.optional(),
  type: z.enum(['expense', 'income']).optional(),
  from: DayOrInstant.optional().openapi({ description: 'On or after (a date means from its start)' }),
  to: DayOrInstant.optional().openapi({ description: 'On or before (a date means to its end)' }),
  q: z.string().trim().min(1).max(100).optional().openapi({ description: 'Text in the description or merchant' }),
  minAmount: Decimal.optional().openapi({ description: 'Displayed amount at least this' }),
  maxAmount: Decimal.optional().openapi({ description: 'Displayed amount at most this' }),
  ...pagingQuery,
});

export const Category = z
  .object({ name: z.string().max(40).openapi({ example: 'coffee' }), custom: z.boolean() })
  .openapi('ExpenseCategory');

/** Custom categories per user: the list stays one bounded answer. */
export const MAX_CUSTOM_CATEGORIES = 100;

export const CategoryList = z
  .array(Category)
  .max(BUILT_IN_CATEGORIES.length + MAX_CUSTOM_CATEGORIES)
  .openapi('ExpenseCategoryList');
export const CreateCategoryBody = z.object({ name: CategoryName }).openapi('CreateExpenseCategoryRequest');
export const CategoryNameParam = z.object({
  name: z.string().max(64).openapi({ param: { name: 'name', in: 'path' }, example: 'coffee' }),
});
