import type { z } from '@hono/zod-openapi';
import { and, count, desc, eq } from 'drizzle-orm';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { AppError, notFound } from '../../core/http/errors.ts';
import { fromMinor, toMinor } from '../../core/money.ts';
import { localDay } from '../../core/calendar.ts';
import type { Platform } from '../../core/platform.ts';
import { firstOnOrAfter } from './schedule.ts';
import { MAX_SCHEDULES, type CreateRecurringBody, type RecurringExpense, type UpdateRecurringBody } from './schemas.ts';
import { recurringExpenses } from './tables.ts';

type Row = typeof recurringExpenses.$inferSelect;

export const view = (r: Row): z.infer<typeof RecurringExpense> => ({
  _id: r.id,
  description: r.description,
  amount: fromMinor(r.amountMinor, r.currency),
  currency: r.currency,
  category: r.category,
  type: r.type,
  frequency: r.frequency,
  interval: r.interval,
  startDate: r.startDate,
  endDate: r.endDate,
  nextDate: r.nextDate,
  paused: r.paused,
  lastError: r.lastError,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const own = (id: string, userId: string) => and(eq(recurringExpenses.id, id), eq(recurringExpenses.userId, userId))!;

/** The next occurrence from `index` on, or null past the end. */
const next = (r: Pick<Row, 'startDate' | 'frequency' | 'interval' | 'endDate'>, from: { index: number; date: string }) =>
  r.endDate && from.date > r.endDate ? { nextIndex: from.index, nextDate: null } : { nextIndex: from.index, nextDate: from.date };

/**
 * A start at most a year back: the job creates every occurrence since the start, and a daily one
 * from decades ago would be tens of thousands of expenses.
 */
function checkStart(platform: Platform, user: AuthUser, startDate: string | undefined) {
  if (startDate === undefined) return;
  const earliest = localDay(new Date(platform.clock.now().getTime() - 366 * 86_400_000), user.timeZone);
  if (startDate < earliest) throw new AppError('VALIDATION_FAILED', 'Invalid request', [{ path: 'json.startDate', message: `must not be before ${earliest} (a year ago)` }]);
}

export async function createRecurring(platform: Platform, user: AuthUser, body: z.infer<typeof CreateRecurringBody>) {
  checkStart(platform, user, body.startDate);
  const [{ n } = { n: 0 }] = await platform.db.select({ n: count() }).from(recurringExpenses).where(eq(recurringExpenses.userId, user.id));
  if (n >= MAX_SCHEDULES) throw new AppError('VALIDATION_FAILED', 'Too many recurring expenses', [{ path: 'body', message: `at most ${MAX_SCHEDULES} per user` }]);
  const currency = body.currency ?? user.currency;
  const now = platform.clock.now().toISOString();
  const schedule = { startDate: body.startDate, frequency: body.frequency, interval: body.interval, endDate: body.endDate };
  const row: Row = {
    id: platform.ids.next(),
    userId: user.id,
    description: body.description,
    amountMinor: toMinor(body.amount, currency),
    currency,
    category: body.category,
    type: body.type,
    ...schedule,
    ...next(schedule, { index: 0, date: body.startDate }),
    paused: body.paused,
    lastError: null,
    createdAt: now,
    updatedAt: now,
  };
  await platform.db.insert(recurringExpenses).values(row);
  return view(row);
}

export async function listRecurring(platform: Platform, userId: string) {
  const rows = await platform.db.select().from(recurringExpenses).where(eq(recurringExpenses.userId, userId)).orderBy(desc(recurringExpenses.id)).limit(MAX_SCHEDULES);
  return rows.map(view);
}

export async function getRecurring(platform: Platform, userId: string, id: string) {
  const [row] = await platform.db.select().from(recurringExpenses).where(own(id, userId));
  if (!row) throw notFound('Recurring expense');
  return row;
}

export async function updateRecurring(platform: Platform, user: AuthUser, id: string, body: z.infer<typeof UpdateRecurringBody>) {
  const current = await getRecurring(platform, user.id, id);
  checkStart(platform, user, body.startDate);
  const merged = { ...current, ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) } as Row & { amount?: number };
  if (merged.endDate && merged.endDate < merged.startDate) {
    throw new AppError('VALIDATION_FAILED', 'Invalid request', [{ path: 'json.endDate', message: 'must not be before startDate' }]);
  }
  const currency = body.currency ?? current.currency;
  const amountMinor = body.amount !== undefined || body.currency !== undefined ? toMinor(body.amount ?? fromMinor(current.amountMinor, current.currency), currency) : current.amountMinor;
  // A changed schedule goes on from the day of the next occurrence not yet created (or its new start, if later).
  const from = current.nextDate ?? current.endDate ?? current.startDate;
  const first = firstOnOrAfter(merged.startDate, merged.frequency, merged.interval, from > merged.startDate ? from : merged.startDate);
  const scheduleChanged = ['startDate', 'frequency', 'interval', 'endDate'].some((k) => body[k as keyof typeof body] !== undefined);
  const updated: Row = {
    ...current,
    description: merged.description,
    amountMinor,
    currency,
    category: merged.category,
    type: merged.type,
    frequency: merged.frequency,
    interval: merged.interval,
    startDate: merged.startDate,
    endDate: merged.endDate,
    paused: merged.paused,
    ...(scheduleChanged ? next(merged, first) : {}),
    updatedAt: platform.clock.now().toISOString(),
  };
  await platform.db.update(recurringExpenses).set(updated).where(own(id, user.id));
  return view(updated);
}

export async function deleteRecurring(platform: Platform, userId: string, id: string) {
  const gone = await platform.db.delete(recurringExpenses).where(own(id, userId)).returning({ id: recurringExpenses.id });
  if (gone.length === 0) throw notFound('Recurring expense');
}
