import type { z } from '@hono/zod-openapi';
import { and, eq, gte, inArray, lt, lte, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { changeStatements } from '../../core/changes/port.ts';
import { notFound } from '../../core/http/errors.ts';
import { decodeCursor, pageOf, pageOffset } from '../../core/http/paging.ts';
import { currencyInfo, fromMinor, toMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import type { Database } from '../../core/db/client.ts';
import { preparedAll, preparedBatch } from '../../core/db/prepared-batch.ts';
import { conversionFactorSql } from '../../core/rates/service.ts';
import { assertCategory } from './categories.ts';
import type { ExpenseView } from './events.ts';
import { cachedPage, keptPage, type Page } from './page-cache.ts';
import type { CreateExpenseBody, ListExpensesQuery, UpdateExpenseBody } from './schemas.ts';
import { expenses } from './tables.ts';

/** The writer: the user, and the device that made the request (no echo goes back to it). */
type User = Pick<AuthUser, 'id' | 'currency'> & { deviceId?: string | null };

/**
 * An expense as the change log keeps it: its own currency, no display conversion (that depends
 * on the reader's settings and the day's rates). `changeData` builds the same JSON in JS.
 */
const changeJson = sql<string>`json_object(
    '_id', id, 'description', description, 'amount', amount_minor * 1.0 / minor_per_unit, 'currency', currency,
    'category', category, 'type', type, 'date', date, 'notes', notes, 'tags', json(tags), 'merchant', merchant,
    'paymentMethod', payment_method, 'version', version, 'createdAt', created_at, 'updatedAt', updated_at
  )`;
const changeDataSql = (id: string) => sql<string>`(select ${changeJson} from ${expenses} where ${expenses.id} = ${id})`;

const changeData = (row: InsertValues, version: number) =>
  JSON.stringify({
    _id: row.id,
    description: row.description,
    amount: row.amountMinor / row.minorPerUnit,
    currency: row.currency,
    category: row.category,
    type: row.type,
    date: row.date,
    notes: row.notes,
    tags: row.tags,
    merchant: row.merchant,
    paymentMethod: row.paymentMethod,
    version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });

const exists = (id: string, userId: string) => sql`exists (select 1 from ${expenses} where ${expenses.id} = ${id} and ${expenses.userId} = ${userId})`;

type Value<T> = T | Placeholder;

/** Units of the display currency per unit of the expense's, on the expense's rate day. */
const factorFor = (display: Value<string>) =>
  sql<number | null>`case when ${expenses.currency} = ${display} then 1.0 else ${conversionFactorSql(
    expenses.currency,
    display,
    sql`substr(${expenses.date}, 1, 10)`,
  )} end`;

type JsonRow = { json: string };

/**
 * The expenses matching `where`, newest first, each already serialised as the API shows it.
 * SQLite builds the JSON: a page of 50 then costs one text column per row in JS instead of
 * sixteen (building those row objects was the largest cost of a list request, measured with
 * `npm run bench`), and that column only: each value the driver hands over costs about a
 * microsecond, so the cursor's date and id are read back from the page's last item instead of
 * coming as two more columns of every row. `f` is the conversion factor, NULL while no rate is
 * held for the day.
 */
const expensesJson = (display: Value<string>, digits: Value<number>, where: SQL, limit: Value<number>, offset: Value<number>) => sql`
    select json_object(
      '_id', id, 'description', description,
      'amount', amount, 'originalAmount', amount, 'originalCurrency', currency,
      'displayAmount', case when f is null then amount else round(amount_minor * f / minor_per_unit, ${digits}) end,
      'displayCurrency', case when f is null then currency else ${display} end,
      'conversionPending', json(case when f is null then 'true' else 'false' end),
      'category', category, 'type', type, 'date', date, 'notes', notes, 'tags', json(tags),
      'merchant', merchant, 'paymentMethod', payment_method, 'version', version, 'createdAt', created_at, 'updatedAt', updated_at
    ) as json
    from (
      select *, amount_minor * 1.0 / minor_per_unit as amount, ${factorFor(display)} as f
      from ${expenses} where ${where}
      order by ${expenses.date} desc, ${expenses.id} desc limit ${limit} offset ${offset}
    )
    order by date desc, id desc`;

async function selectExpenses(platform: Platform, display: string, where: SQL, limit: number, offset = 0) {
  return platform.db.all<JsonRow>(expensesJson(display, currencyInfo(display)!.digits, where, limit, offset));
}

// The list without filters or cursor, what most requests ask for, built once: drizzle building
// the statement anew per request cost an uncached list request a tenth or more of its CPU.
const unfiltered = preparedAll<JsonRow, { userId: string; display: string; digits: number; limit: number; offset: number }>(() =>
  expensesJson(p('display'), p('digits'), eq(expenses.userId, p('userId')), p('limit'), p('offset')),
);

const utf8 = new TextEncoder();
// TextEncoder always returns a fresh ArrayBuffer-backed array; Node's types say ArrayBufferLike.
const encode = (text: string) => utf8.encode(text) as Uint8Array<ArrayBuffer>;

/** Stored form of a date input: a day is its 00:00 UTC; a date-time its UTC instant. */
const toInstant = (value: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value).toISOString();

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
    const digits = currencyInfo(display)!.digits;
    const shown = sql`round(${expenses.amountMinor} * coalesce(${factorFor(display)}, 1.0) / ${expenses.minorPerUnit}, ${digits})`;
    if (query.minAmount !== undefined) where.push(sql`${shown} >= ${query.minAmount}`);
    if (query.maxAmount !== undefined) where.push(sql`${shown} <= ${query.maxAmount}`);
  }
  return where;
}

type ListUser = Pick<AuthUser, 'id' | 'currency' | 'dataVersion'>;

/**
 * What a page depends on, as a cache key: the user's data version, display currency, the rates
 * held and the raw query string, which stands for the query parsed from it (the Link depends on
 * it too).
 */
async function pageKey(platform: Platform, user: ListUser, requestUrl: string): Promise<string> {
  const search = requestUrl.slice(requestUrl.indexOf('?') >>> 0);
  return [user.id, user.dataVersion, user.currency, await platform.rates.stamp(), search].join('|');
}

/**
 * A page already built for this very URL and still current, or undefined. Its query string
 * was valid when the page was built, so the route answers it before validating the query again.
 */
export async function keptListPage(platform: Platform, user: ListUser, requestUrl: string): Promise<Page | undefined> {
  return keptPage(platform, await pageKey(platform, user, requestUrl));
}

/**
 * Newest first, `limit` rows as a JSON array text; the next page by keyset cursor (date, id),
 * or by `page` number for older clients.
 */
export async function listExpenses(platform: Platform, user: ListUser, query: z.infer<typeof ListExpensesQuery>, requestUrl: string): Promise<Page> {
  return cachedPage(platform, await pageKey(platform, user, requestUrl), () => computePage(platform, user, query, requestUrl));
}

async function computePage(platform: Platform, user: User, query: z.infer<typeof ListExpensesQuery>, requestUrl: string): Promise<Page> {
  const where = filters(user.id, query, user.currency);
  const offset = pageOffset(query);
  // Only the user's own rows asked for (filters always begins with that one).
  if (where.length === 1 && !query.cursor) {
    const display = user.currency;
    const rows = await unfiltered(platform.db, { userId: user.id, display, digits: currencyInfo(display)!.digits, limit: query.limit + 1, offset });
    return pageJson(rows, query, requestUrl);
  }
  if (query.cursor) {
    const [date, id] = decodeCursor(query.cursor, 2) as [string, string];
    where.push(or(lt(expenses.date, date), and(eq(expenses.date, date), lt(expenses.id, id)))!);
  }
  return pageJson(await selectExpenses(platform, user.currency, and(...where)!, query.limit + 1, offset), query, requestUrl);
}

function pageJson(rows: JsonRow[], query: z.infer<typeof ListExpensesQuery>, requestUrl: string): Page {
  const { page, link } = pageOf(rows, query, requestUrl, (r) => {
    const { date, _id } = JSON.parse(r.json) as { date: string; _id: string };
    return [date, _id];
  });
  return { json: encode(`[${page.map((r) => r.json).join(',')}]`), link };
}

export async function getExpense(platform: Platform, user: User, id: string): Promise<ExpenseView> {
  const [row] = await selectExpenses(platform, user.currency, and(eq(expenses.id, id), eq(expenses.userId, user.id))!, 1);
  // Another user's expense is as absent as one that never existed: 404, never 403.
  if (!row) throw notFound('Expense');
  return JSON.parse(row.json);
}

const p = sql.placeholder;
const insertStatements = (db: Database) => [
  db.insert(expenses).values({
    id: p('id'),
    userId: p('userId'),
    description: p('description'),
    amountMinor: p('amountMinor'),
    currency: p('currency'),
    minorPerUnit: p('minorPerUnit'),
    category: p('category'),
    type: p('type'),
    date: p('date'),
    notes: p('notes'),
    tags: p('tags'),
    merchant: p('merchant'),
    paymentMethod: p('paymentMethod'),
    createdAt: p('createdAt'),
    updatedAt: p('updatedAt'),
  }),
  ...changeStatements({
    userId: p('userId'),
    entity: 'expense',
    entityId: p('id'),
    op: 'CREATE',
    version: 1,
    data: p('changeData'),
    deviceId: p('deviceId'),
    at: p('createdAt'),
  }),
];
type InsertValues = Omit<Written, 'version'> & { userId: string };
type PreparedInsert = InsertValues & { changeData: string; deviceId: string | null };

// Built once per database (core/db/prepared-batch.ts): the create path runs on every POST.
const insertExpense = preparedBatch<PreparedInsert>(insertStatements);
const insertForeignExpense = preparedBatch<PreparedInsert & { display: string; digits: number; day: string }>((db) => [
  ...insertStatements(db),
  sql`select round(${p('amountMinor')} * ${conversionFactorSql(sql`${p('currency')}`, p('display'), sql`${p('day')}`)} / ${p('minorPerUnit')}, ${p('digits')}) as shown`,
]);

/** The row a create stores: its category checked, its amount in the currency's minor units. */
async function newRow(platform: Platform, user: User, body: z.infer<typeof CreateExpenseBody>): Promise<InsertValues> {
  const currency = body.currency ?? user.currency;
  const amountMinor = toMinor(body.amount, currency);
  await assertCategory(platform, user.id, body.category);
  const now = platform.clock.now().toISOString();
  const row: InsertValues = {
    id: platform.ids.next(),
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
  };
  return row;
}

/** The insert of `row` and its logged change, for a batch. */
function createStatements(platform: Platform, user: User, row: InsertValues): [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]] {
  const { db } = platform;
  return [
    db.insert(expenses).values(row),
    ...platform.changes.record(db, {
      userId: user.id,
      entity: 'expense',
      entityId: row.id,
      op: 'CREATE',
      version: 1,
      data: changeData(row, 1),
      deviceId: user.deviceId ?? null,
      at: row.createdAt,
    }),
  ];
}

/**
 * Stores a new expense of `user` and answers it as a read would. `also` adds statements of the
 * caller (a group's link to the expense, say) to the same batch, given the new id.
 */
export async function createExpense(platform: Platform, user: User, body: z.infer<typeof CreateExpenseBody>, also?: (id: string) => BatchItem<'sqlite'>[]) {
  const row = await newRow(platform, user, body);
  const currency = row.currency;
  let displayAmount: number | null = row.amountMinor / row.minorPerUnit;
  if (also) {
    // A rarer path (another plugin's write rides along): stored, then read back.
    const { db } = platform;
    await db.batch([...createStatements(platform, user, row), ...also(row.id)]);
    await platform.changes.committed(user.id);
    const expense = await getExpense(platform, user, row.id);
    await platform.events.emit('expense.created', { userId: user.id, expense });
    return expense;
  }
  const prepared: PreparedInsert = { ...row, changeData: changeData(row, 1), deviceId: user.deviceId ?? null };
  if (currency === user.currency) {
    await insertExpense(platform.db, prepared);
  } else {
    // The answer is built from what was written, not read back; only the conversion needs the
    // database (the rate of the day), computed in the same batch by the same SQL as every read.
    const [, , converted] = await insertForeignExpense(platform.db, {
      ...prepared,
      display: user.currency,
      digits: currencyInfo(user.currency)!.digits,
      day: row.date.slice(0, 10),
    });
    displayAmount = (converted!.rows[0]?.shown as number | null | undefined) ?? null;
  }
  await platform.changes.committed(user.id);
  const expense = view({ ...row, version: 1 }, user.currency, displayAmount);
  await platform.events.emit('expense.created', { userId: user.id, expense });
  return expense;
}

type Written = Omit<ExpenseView, '_id' | 'amount' | 'originalAmount' | 'originalCurrency' | 'displayAmount' | 'displayCurrency' | 'conversionPending'> & {
  id: string;
  amountMinor: number;
  minorPerUnit: number;
  currency: string;
};

/** What a read of the row would show (see selectExpenses); `displayAmount` null while no rate is held. */
function view(row: Written, display: string, displayAmount: number | null): ExpenseView {
  const amount = row.amountMinor / row.minorPerUnit;
  const pending = displayAmount === null;
  return {
    _id: row.id,
    description: row.description,
    amount,
    originalAmount: amount,
    originalCurrency: row.currency,
    displayAmount: pending ? amount : displayAmount,
    displayCurrency: pending ? row.currency : display,
    conversionPending: pending,
    category: row.category,
    type: row.type,
    date: row.date,
    notes: row.notes,
    tags: row.tags,
    merchant: row.merchant,
    paymentMethod: row.paymentMethod,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function updateExpense(platform: Platform, user: User, id: string, body: z.infer<typeof UpdateExpenseBody>) {
  const [current] = await platform.db
    .select()
    .from(expenses)
    .where(and(eq(expenses.id, id), eq(expenses.userId, user.id)));
  if (!current) throw notFound('Expense');
  await platform.db.batch(await updateStatements(platform, user, current, body));
  await platform.changes.committed(user.id);
  const expense = await getExpense(platform, user, id);
  await platform.events.emit('expense.updated', { userId: user.id, expense });
  return expense;
}

/** The update of `current` (a row of `user`, just read) by `body`, and its logged change, for a batch; the category checked. */
export async function updateStatements(
  platform: Platform,
  user: User,
  current: typeof expenses.$inferSelect,
  body: z.infer<typeof UpdateExpenseBody>,
): Promise<[BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]> {
  const { id } = current;
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
  const now = platform.clock.now().toISOString();
  const { db } = platform;
  return [
    db
      .update(expenses)
      .set({ ...rest, ...money, ...(date !== undefined && { date: toInstant(date) }), version: sql`${expenses.version} + 1`, updatedAt: now })
      .where(and(eq(expenses.id, id), eq(expenses.userId, user.id))),
    // Deleted between the read and the write: nothing logged, nothing raised (and a 404 below).
    ...platform.changes.record(db, {
      userId: user.id,
      entity: 'expense',
      entityId: id,
      op: 'UPDATE',
      version: sql`(select ${expenses.version} from ${expenses} where ${expenses.id} = ${id})`,
      data: changeDataSql(id),
      deviceId: user.deviceId ?? null,
      at: now,
      when: exists(id, user.id),
    }),
  ];
}

export async function deleteExpense(platform: Platform, user: User, id: string) {
  const [, gone] = await platform.db.batch(deleteStatements(platform, user, id));
  if (gone.length === 0) throw notFound('Expense');
  await platform.changes.committed(user.id);
  await platform.events.emit('expense.deleted', { userId: user.id, expenseId: id });
}

/** The delete of `user`'s expense `id` and its logged change, for a batch; the second statement returns the deleted id. */
export function deleteStatements(platform: Platform, user: User, id: string) {
  const { db } = platform;
  // Logged first, while the row is there to guard it and give its version; then deleted.
  return [
    ...(platform.changes.record(db, {
      userId: user.id,
      entity: 'expense',
      entityId: id,
      op: 'DELETE',
      version: sql`(select ${expenses.version} + 1 from ${expenses} where ${expenses.id} = ${id})`,
      data: null,
      deviceId: user.deviceId ?? null,
      at: platform.clock.now().toISOString(),
      when: exists(id, user.id),
    }) as [BatchItem<'sqlite'>]),
    db
      .delete(expenses)
      .where(and(eq(expenses.id, id), eq(expenses.userId, user.id)))
      .returning({ id: expenses.id }),
  ] as const;
}

/** The user's expenses by id as the change log shows them (version and data); others' ids left out. */
export async function syncedExpenses(platform: Platform, userId: string, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { version: number; data: Record<string, unknown> }>();
  const rows = await platform.db
    .select({ id: expenses.id, version: expenses.version, data: changeJson })
    .from(expenses)
    .where(and(eq(expenses.userId, userId), inArray(expenses.id, [...ids])));
  return new Map(rows.map((r) => [r.id, { version: r.version, data: JSON.parse(r.data) as Record<string, unknown> }]));
}

export { createStatements, newRow };
