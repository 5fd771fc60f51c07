import type { z } from '@hono/zod-openapi';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { users } from '../../core/auth/tables.ts';
import { localDay, periodOf } from '../../core/calendar.ts';
import { AppError, notFound } from '../../core/http/errors.ts';
import { currencyInfo, fromMinor, toMinor } from '../../core/money.ts';
import { perDatabase } from '../../core/db/prepared-batch.ts';
import { keptPerStamp } from '../../core/db/stamp.ts';
import type { Platform } from '../../core/platform.ts';
import { recordCrossings } from './crossings.ts';
import { evaluate, type BudgetOwner, type BudgetView } from './evaluate.ts';
import { currentPeriod, units } from './periods.ts';
import { MAX_BUDGETS_PER_USER, type CreateBudgetBody, type UpdateBudgetBody } from './schemas.ts';
import { budgetCrossings, budgets, type BudgetPeriod, type BudgetRow } from './tables.ts';

type User = Pick<AuthUser, 'id' | 'currency' | 'timeZone'> & { deviceId?: string | null };

/** A budget in the change log: as stored, its amount in its own currency (no spending: that is derived). */
const changeDataSql = (id: string, currency: string) => sql<string>`(select json_object(
    '_id', id, 'name', name, 'category', category, 'amount', amount_minor * 1.0 / ${10 ** currencyInfo(currency)!.digits},
    'currency', currency, 'period', period, 'startDate', start_date, 'endDate', end_date, 'alertThreshold', alert_threshold,
    'version', version, 'createdAt', created_at, 'updatedAt', updated_at
  ) from ${budgets} where ${budgets.id} = ${id})`;

const exists = (id: string, userId: string) => sql`exists (select 1 from ${budgets} where ${budgets.id} = ${id} and ${budgets.userId} = ${userId})`;

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', 'Invalid request', [{ path, message }]);

/** The rules that span fields, checked on the budget as it will be stored (after a partial update too). */
function checkDates(period: BudgetPeriod, startDate: string, endDate: string | null) {
  if (period === 'custom' && !endDate) throw invalid('endDate', 'is required for a custom period');
  // endDate is inclusive: the same day as startDate is a one-day budget.
  if (endDate && endDate < startDate) throw invalid('endDate', 'must be on or after startDate');
}

/** Without a startDate a recurring budget counts from the start of its current period (this month, say); a custom one from today. */
function defaultStart(period: BudgetPeriod, now: Date, timeZone: string) {
  return localDay(period === 'custom' ? now : periodOf(units[period], now, timeZone).start, timeZone);
}

export const loadBudgets = (platform: Platform, userId: string) =>
  platform.db.select().from(budgets).where(eq(budgets.userId, userId)).orderBy(desc(budgets.id));

async function loadBudget(platform: Platform, userId: string, id: string): Promise<BudgetRow> {
  const [row] = await platform.db
    .select()
    .from(budgets)
    .where(and(eq(budgets.id, id), eq(budgets.userId, userId)));
  // Another user's budget is as absent as one that never existed: 404, never 403.
  if (!row) throw notFound('Budget');
  return row;
}

/** Every budget of the user, newest first, with its current period's spending. */
export async function listBudgets(platform: Platform, user: User): Promise<BudgetView[]> {
  return (await evaluate(platform, user, await loadBudgets(platform, user.id))).map((e) => e.view);
}

export async function getBudget(platform: Platform, user: User, id: string): Promise<BudgetView> {
  const [evaluated] = await evaluate(platform, user, [await loadBudget(platform, user.id, id)]);
  return evaluated!.view;
}

/**
 * Re-evaluates every budget of `owner` and records (and announces) any threshold newly
 * crossed: after each write that can move a budget, and from the re-check job.
 */
export async function recheck(platform: Platform, owner: BudgetOwner, rows?: readonly BudgetRow[]) {
  const evaluated = await evaluate(platform, owner, rows ?? (await loadBudgets(platform, owner.id)));
  await recordCrossings(platform, owner, evaluated);
  return evaluated;
}

// Prepared once per database: it runs after every expense write.
const budgetsWithOwner = perDatabase((db: Platform['db']) =>
  db
    .select({ budget: budgets, currency: users.currency, timeZone: users.timeZone })
    .from(budgets)
    .innerJoin(users, eq(users.id, budgets.userId))
    .where(eq(budgets.userId, sql.placeholder('userId')))
    .orderBy(desc(budgets.id))
    .prepare());

// A user's budgets kept against the database stamp (core/db/stamp.ts), which moves with every
// commit: the group commit answers a burst of writes (about 30 under load) together, and their
// checks then read the budgets once for the group, not once for every write.
const keptBudgets = keptPerStamp<Awaited<ReturnType<ReturnType<typeof budgetsWithOwner>['all']>>>(1000);
const budgetsOf = (platform: Platform, userId: string) => keptBudgets(platform.db, userId, () => budgetsWithOwner(platform.db).all({ userId }));

/** An expense just written: only budgets of its category (or of every category) whose current period holds its date can have moved up. */
export interface WrittenExpense {
  category: string;
  date: string;
  type: 'expense' | 'income';
}

/**
 * For event listeners, which get a user id only. One prepared query finds the budgets with
 * their owner's settings: an expense write of a user without budgets costs just that. With
 * `written`, only the budgets that expense can push up are evaluated (an income, none).
 */
export async function recheckUser(platform: Platform, userId: string, written?: WrittenExpense) {
  if (written?.type === 'income') return;
  const rows = await budgetsOf(platform, userId);
  const first = rows[0];
  if (!first) return;
  const owner = { id: userId, currency: first.currency, timeZone: first.timeZone };
  const now = platform.clock.now();
  const at = written && Date.parse(written.date);
  const moved = rows
    .map((r) => r.budget)
    .filter((b) => {
      if (!written) return true;
      if (b.category !== null && b.category !== written.category) return false;
      const period = currentPeriod(b, now, owner.timeZone);
      return at! >= period.start.getTime() && at! < period.end.getTime();
    });
  if (moved.length > 0) await recheck(platform, owner, moved);
}

function viewOf(evaluated: Awaited<ReturnType<typeof recheck>>, id: string): BudgetView {
  const found = evaluated.find((e) => e.row.id === id);
  // Deleted by another request in the meantime.
  if (!found) throw notFound('Budget');
  return found.view;
}

export async function createBudget(platform: Platform, user: User, body: z.infer<typeof CreateBudgetBody>): Promise<BudgetView> {
  const now = platform.clock.now();
  const currency = body.currency ?? user.currency;
  const startDate = body.startDate ?? defaultStart(body.period, now, user.timeZone);
  const endDate = body.endDate ?? null;
  checkDates(body.period, startDate, endDate);
  const amountMinor = toMinor(body.amount, currency);

  // The bound keeps every user's budgets within one spending call's windows; it is checked in
  // the insert itself, so creates racing at the limit cannot pass it.
  const stamp = now.toISOString();
  const id = platform.ids.next();
  const [inserted] = await platform.db.batch([
    platform.db.all(sql`
      insert into ${budgets} (id, user_id, name, category, amount_minor, currency, period, start_date, end_date, alert_threshold, created_at, updated_at)
      select ${id}, ${user.id}, ${body.name}, ${body.category ?? null}, ${amountMinor}, ${currency}, ${body.period}, ${startDate}, ${endDate},
        ${body.alertThreshold}, ${stamp}, ${stamp}
      where (select count(*) from ${budgets} where user_id = ${user.id}) < ${MAX_BUDGETS_PER_USER}
      returning id`),
    ...platform.changes.record(platform.db, {
      userId: user.id,
      entity: 'budget',
      entityId: id,
      op: 'CREATE',
      version: 1,
      data: changeDataSql(id, currency),
      deviceId: user.deviceId ?? null,
      at: stamp,
      // A create refused at the cap logs nothing.
      when: sql`exists (select 1 from ${budgets} where id = ${id})`,
    }),
  ]);
  if (inserted.length === 0) throw invalid('', `a user has at most ${MAX_BUDGETS_PER_USER} budgets`);
  await platform.changes.committed(user.id);
  // A budget created over what is already spent has crossed its thresholds: announced now.
  return viewOf(await recheck(platform, user), id);
}

export async function updateBudget(platform: Platform, user: User, id: string, body: z.infer<typeof UpdateBudgetBody>): Promise<BudgetView> {
  const current = await loadBudget(platform, user.id, id);
  const period = body.period ?? current.period;
  const startDate = body.startDate ?? current.startDate;
  const endDate = body.endDate !== undefined ? body.endDate : current.endDate;
  checkDates(period, startDate, endDate);
  const currency = body.currency ?? current.currency;
  const amountMinor =
    body.amount !== undefined || body.currency !== undefined
      ? toMinor(body.amount ?? fromMinor(current.amountMinor, current.currency), currency)
      : current.amountMinor;

  const now = platform.clock.now().toISOString();
  // A budget of another category, period or start is another budget: its crossings so far no
  // longer stand. A new threshold may be crossed anew (the 100% one still stands).
  const redefined = (body.category !== undefined && body.category !== current.category) || period !== current.period || startDate !== current.startDate;
  const thresholdMoved = body.alertThreshold !== undefined && body.alertThreshold !== current.alertThreshold;
  const forget = redefined
    ? [platform.db.delete(budgetCrossings).where(eq(budgetCrossings.budgetId, id))]
    : thresholdMoved
      ? [platform.db.delete(budgetCrossings).where(and(eq(budgetCrossings.budgetId, id), eq(budgetCrossings.level, 'warning')))]
      : [];
  const [updated] = await platform.db.batch([
    platform.db
      .update(budgets)
      .set({
        ...(body.name !== undefined && { name: body.name }),
        ...(body.category !== undefined && { category: body.category }),
        ...(body.alertThreshold !== undefined && { alertThreshold: body.alertThreshold }),
        amountMinor,
        currency,
        period,
        startDate,
        endDate,
        version: sql`${budgets.version} + 1`,
        updatedAt: now,
      })
      .where(and(eq(budgets.id, id), eq(budgets.userId, user.id)))
      .returning({ id: budgets.id }),
    ...platform.changes.record(platform.db, {
      userId: user.id,
      entity: 'budget',
      entityId: id,
      op: 'UPDATE',
      version: sql`(select ${budgets.version} from ${budgets} where ${budgets.id} = ${id})`,
      data: changeDataSql(id, currency),
      deviceId: user.deviceId ?? null,
      at: now,
      when: exists(id, user.id),
    }),
    ...forget,
  ]);
  // Deleted between the read and the write.
  if (updated.length === 0) throw notFound('Budget');
  await platform.changes.committed(user.id);
  // Lowering the amount or the threshold can cross one: announced now.
  return viewOf(await recheck(platform, user), id);
}

export async function deleteBudget(platform: Platform, user: User, id: string): Promise<void> {
  // Its crossings go with it (foreign key, on delete cascade). Logged first, while the row is there.
  const [, gone] = await platform.db.batch([
    ...(platform.changes.record(platform.db, {
      userId: user.id,
      entity: 'budget',
      entityId: id,
      op: 'DELETE',
      version: sql`(select ${budgets.version} + 1 from ${budgets} where ${budgets.id} = ${id})`,
      data: null,
      deviceId: user.deviceId ?? null,
      at: platform.clock.now().toISOString(),
      when: exists(id, user.id),
    }) as [BatchItem<'sqlite'>]),
    platform.db
      .delete(budgets)
      .where(and(eq(budgets.id, id), eq(budgets.userId, user.id)))
      .returning({ id: budgets.id }),
  ]);
  if (gone.length === 0) throw notFound('Budget');
  await platform.changes.committed(user.id);
}
