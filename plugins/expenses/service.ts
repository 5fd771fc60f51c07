import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { notFound } from '../../core/http/errors.ts';
import { decodeCursor, encodeCursor } from '../../core/http/paging.ts';
import { convertMinor, currencyInfo, fromMinor, toMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import { conversionFactorSql } from '../../core/rates/service.ts';
import { assertCategory } from './categories.ts';
import type { CreateExpenseBody, ListExpensesQuery, PAYMENT_METHODS, UpdateExpenseBody } from './schemas.ts';

type PaymentMethod = (typeof PAYMENT_METHODS)[number];
import { expenses, type ExpenseRow } from './tables.ts';
import type { z } from '@hono/zod-openapi';

type User = Pick<AuthUser, 'id' | 'currency'>;

/** Units of the display currency per unit of the expense's, on the expense's rate day. */
const factorFor = (display: string) =>
  sql<number | null>`case when ${expenses.currency} = ${display} then 1.0 else ${conversionFactorSql(
    expenses.currency,
    display,
    sql`substr(${expenses.date}, 1, 10)`,
  )} end`;

const selectWithFactor = (platform: Platform, display: string) =>
  platform.db
    .select({ row: expenses, factor: factorFor(display) })
    .from(expenses)
    .$dynamic();

export function toExpense({ row, factor }: { row: ExpenseRow; factor: number | null }, display: string) {
  const amount = fromMinor(row.amountMinor, row.currency);
  const pending = factor === null;
  return {
    _id: row.id,
    description: row.description,
    amount,
    originalAmount: amount,
    originalCurrency: row.currency,
    displayAmount: pending ? amount : fromMinor(convertMinor(row.amountMinor, row.currency, display, factor), display),
    displayCurrency: pending ? row.currency : display,
    conversionPending: pending,
    category: row.category,
    type: row.type,
    date: row.date,
    notes: row.notes,
    tags: row.tags,
    merchant: row.merchant,
    paymentMethod: row.paymentMethod as PaymentMethod | null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Stored form of a date input: a day is its 00:00 UTC; a date-time its UTC instant. */
export const toInstant = (value: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value).toISOString();

const dayEnd = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : new Date(value).toISOString());

function filters(userId: string, query: z.infer<typeof ListExpensesQuery>, display: string): SQL[] {
  const where: SQL[] = [eq(expenses.userId, userId)];
  if (query.category) where.push(eq(expenses.category, query.category));
  if (query.type) where.push(eq(expenses.type, query.type));
  if (query.from) where.push(gte(expenses.date, toInstant(query.from)));
  if (query.to) where.push(lte(expenses.date, dayEnd(query.to)));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(sql`(${expenses.description} like ${pattern} escape '\\' or ${expenses.merchant} like ${pattern} escape '\\')`);
  }
  if (query.minAmount !== undefined || query.maxAmount !== undefined) {
    // The amount the user sees: converted when a rate is held, else in its own currency.
    const digits = currencyInfo(display)?.digits ?? 2;
    const shown = sql`round(${expenses.amountMinor} * 1.0 / ${expenses.minorPerUnit} * coalesce(${factorFor(display)}, 1.0), ${digits})`;
    if (query.minAmount !== undefined) where.push(sql`${shown} >= ${query.minAmount}`);
    if (query.maxAmount !== undefined) where.push(sql`${shown} <= ${query.maxAmount}`);
  }
  return where;
}

/** Newest first, `limit` rows; the next page by keyset cursor (date, id), or by `page` number. */
export async function listExpenses(platform: Platform, user: User, query: z.infer<typeof ListExpensesQuery>) {
  const where = filters(user.id, query, user.currency);
  if (query.cursor) {
    const [date, id] = decodeCursor(query.cursor, 2) as [string, string];
    where.push(or(lt(expenses.date, date), and(eq(expenses.date, date), lt(expenses.id, id)))!);
  }
  const rows = await selectWithFactor(platform, user.currency)
    .where(and(...where))
    .orderBy(desc(expenses.date), desc(expenses.id))
    .limit(query.limit + 1)
    .offset(!query.cursor && query.page ? (query.page - 1) * query.limit : 0);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const next =
    rows.length > query.limit && last
      ? query.page && !query.cursor
        ? { page: query.page + 1 }
        : { cursor: encodeCursor([last.row.date, last.row.id]) }
      : null;
  return { items: page.map((r) => toExpense(r, user.currency)), next };
}

export async function getExpense(platform: Platform, user: User, id: string) {
  const [row] = await selectWithFactor(platform, user.currency).where(and(eq(expenses.id, id), eq(expenses.userId, user.id)));
  // Another user's expense is as absent as one that never existed: 404, never 403.
  if (!row) throw notFound('Expense');
  return toExpense(row, user.currency);
}

export async function createExpense(platform: Platform, user: User, body: z.infer<typeof CreateExpenseBody>) {
  const currency = body.currency ?? user.currency;
  const amountMinor = toMinor(body.amount, currency);
  await assertCategory(platform, user.id, body.category);
  const now = platform.clock.now().toISOString();
  const id = platform.ids.next();
  await platform.db.insert(expenses).values({
    id,
    userId: user.id,
    description: body.description,
    amountMinor,
    currency,
    minorPerUnit: 10 ** currencyInfo(currency)!.digits,
    category: body.category,
    type: body.type,
    date: body.date ? toInstant(body.date) : now,
    notes: body.notes ?? null,
    tags: body.tags ?? [],
    merchant: body.merchant ?? null,
    paymentMethod: body.paymentMethod ?? null,
    createdAt: now,
    updatedAt: now,
  });
  const expense = await getExpense(platform, user, id);
  await platform.events.emit('expense.created', { userId: user.id, expense });
  return expense;
}

export async function updateExpense(platform: Platform, user: User, id: string, body: z.infer<typeof UpdateExpenseBody>) {
  const [current] = await platform.db
    .select()
    .from(expenses)
    .where(and(eq(expenses.id, id), eq(expenses.userId, user.id)));
  if (!current) throw notFound('Expense');
  if (body.category !== undefined) await assertCategory(platform, user.id, body.category);

  const currency = body.currency ?? current.currency;
  const money =
    body.amount !== undefined || body.currency !== undefined
      ? {
          currency,
          minorPerUnit: 10 ** currencyInfo(currency)!.digits,
          amountMinor: toMinor(body.amount ?? fromMinor(current.amountMinor, current.currency), currency),
        }
      : {};
  const { amount: _a, currency: _c, date, ...rest } = body;
  await platform.db
    .update(expenses)
    .set({ ...rest, ...money, ...(date !== undefined && { date: toInstant(date) }), updatedAt: platform.clock.now().toISOString() })
    .where(and(eq(expenses.id, id), eq(expenses.userId, user.id)));
  const expense = await getExpense(platform, user, id);
  await platform.events.emit('expense.updated', { userId: user.id, expense });
  return expense;
}

export async function deleteExpense(platform: Platform, user: User, id: string) {
  const gone = await platform.db
    .delete(expenses)
    .where(and(eq(expenses.id, id), eq(expenses.userId, user.id)))
    .returning({ id: expenses.id });
  if (gone.length === 0) throw notFound('Expense');
  await platform.events.emit('expense.deleted', { userId: user.id, expenseId: id });
}
