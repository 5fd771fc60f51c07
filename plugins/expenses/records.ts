import { inArray } from 'drizzle-orm';
import { AppError } from '../../core/http/errors.ts';
import { fromMinor, toMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import type { ExpenseRecord, ExpensesService } from '../../core/services.ts';
import { CreateExpenseBody } from './schemas.ts';
import { createExpense } from './service.ts';
import { expenses } from './tables.ts';

export const MAX_FIND = 500;

const record = (row: typeof expenses.$inferSelect): ExpenseRecord => ({
  id: row.id,
  userId: row.userId,
  description: row.description,
  amount: fromMinor(row.amountMinor, row.currency),
  amountMinor: row.amountMinor,
  currency: row.currency,
  category: row.category,
  type: row.type,
  date: row.date,
  merchant: row.merchant,
  createdAt: row.createdAt,
});

/** The `expenses` service (core/services.ts): how other plugins read and write expenses. */
export const expensesService = (platform: Platform): ExpensesService => ({
  async find(ids) {
    if (ids.length === 0) return [];
    if (ids.length > MAX_FIND) throw new RangeError(`at most ${MAX_FIND} ids`);
    return (await platform.db.select().from(expenses).where(inArray(expenses.id, [...ids]))).map(record);
  },
  async create(owner, input, also) {
    // The same normalisation as the route (category case, defaults), then the same write.
    const parsed = CreateExpenseBody.safeParse(input);
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', 'Invalid expense', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
    }
    const view = await createExpense(platform, owner, parsed.data, also);
    return {
      id: view._id,
      userId: owner.id,
      description: view.description,
      amount: view.originalAmount,
      amountMinor: toMinor(view.originalAmount, view.originalCurrency),
      currency: view.originalCurrency,
      category: view.category,
      type: view.type,
      date: view.date,
      merchant: view.merchant,
      createdAt: view.createdAt,
    };
  },
});
