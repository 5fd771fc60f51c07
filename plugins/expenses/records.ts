import { and, eq, inArray } from 'drizzle-orm';
import { AppError } from '../../core/http/errors.ts';
import { fromMinor, toMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import type { ExpenseRecord, ExpensesService, SyncWriter } from '../../core/services.ts';
import { CreateExpenseBody, UpdateExpenseBody } from './schemas.ts';
import { createExpense, createStatements, deleteStatements, getExpense, newRow, syncedExpenses, updateStatements } from './service.ts';
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
    const view = await createExpense(platform, owner, parse(CreateExpenseBody, input), also);
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
  synced: {
    current: (userId, ids) => {
      if (ids.length > MAX_FIND) throw new RangeError(`at most ${MAX_FIND} ids`);
      return syncedExpenses(platform, userId, ids);
    },
    async create(writer, input) {
      const row = await newRow(platform, writer, parse(CreateExpenseBody, input));
      return {
        id: row.id,
        statements: createStatements(platform, writer, row),
        committed: () => announce(platform, writer, 'expense.created', row.id),
      };
    },
    async update(writer, id, patch) {
      const [current] = await platform.db
        .select()
        .from(expenses)
        .where(and(eq(expenses.id, id), eq(expenses.userId, writer.id)));
      if (!current) throw new RangeError('update of an expense that is not the writer’s: read it with current() first');
      return {
        statements: await updateStatements(platform, writer, current, parse(UpdateExpenseBody, patch)),
        committed: () => announce(platform, writer, 'expense.updated', id),
      };
    },
    delete: (writer, id) => ({
      statements: [...deleteStatements(platform, writer, id)],
      committed: () => platform.events.emit('expense.deleted', { userId: writer.id, expenseId: id }),
    }),
  },
});

/** `input` checked by the routes' own schema (normalised, defaults filled); a 400 naming the fields otherwise. */
function parse<S extends typeof CreateExpenseBody | typeof UpdateExpenseBody>(schema: S, input: unknown) {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'Invalid expense', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return parsed.data as S['_output'];
}

/** After a synced write's commit: the same event the route emits, with the expense as its owner reads it. */
async function announce(platform: Platform, writer: SyncWriter, event: 'expense.created' | 'expense.updated', id: string) {
  const expense = await getExpense(platform, writer, id).catch(() => null);
  // Gone meanwhile (deleted right after): its delete announces itself.
  if (expense) await platform.events.emit(event, { userId: writer.id, expense });
}
