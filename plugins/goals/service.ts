import type { z } from '@hono/zod-openapi';
import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import type { Database } from '../../core/db/client.ts';
import { AppError, notFound } from '../../core/http/errors.ts';
import { decodeCursor, pageOf, pageOffset } from '../../core/http/paging.ts';
import { currencyInfo, fromMinor, toMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import { goalView, type GoalView } from './progress.ts';
import { CONTRIBUTIONS_SHOWN, type ContributeBody, type CreateGoalBody, type ListGoalsQuery, type UpdateGoalBody } from './schemas.ts';
import { goalContributions, goalMilestones, goals } from './tables.ts';

type User = Pick<AuthUser, 'id' | 'currency' | 'timeZone'>;
type GoalRow = typeof goals.$inferSelect;

/** Minor units of a decimal that may be 0 or negative (toMinor takes positive amounts only). */
function signedMinor(amount: number, currency: string, path: string): number {
  if (amount === 0) return 0;
  return Math.sign(amount) * toMinor(Math.abs(amount), currency, path);
}

const ownGoal = (id: string, userId: string) => and(eq(goals.id, id), eq(goals.userId, userId))!;

/**
 * Records every level (25, 50, 75, 100 percent) the goal's saved amount is at, and returns only
 * those recorded now: the primary key lets exactly one write announce each level, however many
 * run at once. Put it in the batch after the write that changes the amounts.
 */
const recordMilestones = (db: Database, goalId: string, now: string) =>
  db.all<{ milestone: number }>(sql`
    insert into ${goalMilestones} (goal_id, milestone, reached_at)
    select ${goals.id}, m.milestone, ${now}
    from ${goals}, (select 25 as milestone union all select 50 union all select 75 union all select 100) as m
    where ${goals.id} = ${goalId} and ${goals.currentMinor} * 100 >= ${goals.targetMinor} * m.milestone
    on conflict do nothing
    returning milestone`);

const MILESTONES = [25, 50, 75, 100] as const;

/**
 * The feed's events for the levels the batch's change reaches for the first time, lowest first;
 * 100 is `goal.achieved`. Put them in the batch after the write that changes the amounts and
 * just before recordMilestones: each carries that insert's condition for its level, so it lands
 * exactly when the level's row does. The data is read from the goal row as the batch left it
 * (a contribution's sum is SQLite's), amounts as fromMinor gives them.
 */
function milestoneFeed(platform: Platform, userId: string, goalId: string, currency: string, at: string) {
  const scale = sql.raw(String(10 ** currencyInfo(currency)!.digits));
  const amount = (minor: SQL) => sql`cast(${minor} as real) / ${scale}`;
  return MILESTONES.flatMap((m) => {
    const level = sql.raw(String(m));
    const fields = sql`'goalId', ${goals.id}, 'title', ${goals.title}, 'currentAmount', ${amount(sql`${goals.currentMinor}`)},
      'targetAmount', ${amount(sql`${goals.targetMinor}`)}, 'currency', ${goals.currency}`;
    const data = sql`(select json_object(${fields}${m === 100 ? sql`` : sql`, 'milestone', ${level}`}) from ${goals} where ${goals.id} = ${goalId})`;
    const when = sql`exists (select 1 from ${goals} where ${goals.id} = ${goalId} and ${goals.currentMinor} * 100 >= ${goals.targetMinor} * ${level})
      and not exists (select 1 from ${goalMilestones} where ${goalMilestones.goalId} = ${goalId} and ${goalMilestones.milestone} = ${level})`;
    return platform.feed.record(platform.db, { userId, type: m === 100 ? 'goal.achieved' : 'goal.milestone_reached', at, data }, when);
  });
}

/** Announces the levels a change reached for the first time, lowest first; 100 is `goal.achieved` (the feed has them from milestoneFeed). */
async function announce(platform: Platform, userId: string, row: GoalRow, reached: { milestone: number }[]) {
  const base = {
    userId,
    goalId: row.id,
    title: row.title,
    currentAmount: fromMinor(row.currentMinor, row.currency),
    targetAmount: fromMinor(row.targetMinor, row.currency),
    currency: row.currency,
  };
  for (const { milestone } of [...reached].sort((a, b) => a.milestone - b.milestone)) {
    if (milestone === 100) await platform.events.emit('goal.achieved', base);
    else await platform.events.emit('goal.milestone_reached', { ...base, milestone: milestone as 25 | 50 | 75 });
  }
}

export async function listGoals(platform: Platform, user: User, query: z.infer<typeof ListGoalsQuery>, requestUrl: string) {
  const where = [eq(goals.userId, user.id)];
  if (query.status) where.push(eq(goals.status, query.status));
  if (query.cursor) where.push(lt(goals.id, decodeCursor(query.cursor, 1)[0]!));
  const offset = pageOffset(query);
  // Ids are time-ordered (UUIDv7): newest first by id.
  const rows = await platform.db
    .select()
    .from(goals)
    .where(and(...where))
    .orderBy(desc(goals.id))
    .limit(query.limit + 1)
    .offset(offset);
  const { page, link } = pageOf(rows, query, requestUrl, (r) => [r.id]);
  const now = platform.clock.now();
  return { goals: page.map((r) => goalView(r, now, user.timeZone)), link };
}

export async function getGoal(platform: Platform, user: User, id: string) {
  const [[row], contributions] = await platform.db.batch([
    platform.db.select().from(goals).where(ownGoal(id, user.id)),
    platform.db
      .select()
      .from(goalContributions)
      .where(eq(goalContributions.goalId, id))
      .orderBy(desc(goalContributions.id))
      .limit(CONTRIBUTIONS_SHOWN),
  ]);
  // Another user's goal is as absent as one that never existed: 404, never 403.
  if (!row) throw notFound('Goal');
  return {
    ...goalView(row, platform.clock.now(), user.timeZone),
    contributions: contributions.map((c) => ({ _id: c.id, amount: fromMinor(c.amountMinor, row.currency), note: c.note, createdAt: c.createdAt })),
  };
}

export async function createGoal(platform: Platform, user: User, body: z.infer<typeof CreateGoalBody>): Promise<GoalView> {
  const currency = body.currency ?? user.currency;
  const targetMinor = toMinor(body.targetAmount, currency, 'json.targetAmount');
  const currentMinor = signedMinor(body.currentAmount, currency, 'json.currentAmount');
  const now = platform.clock.now();
  const row: GoalRow = {
    id: platform.ids.next(),
    userId: user.id,
    title: body.title,
    description: body.description ?? null,
    targetMinor,
    currentMinor,
    currency,
    goalType: body.goalType,
    targetDate: body.targetDate ?? null,
    priority: body.priority,
    status: currentMinor >= targetMinor ? 'completed' : 'active',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  // Levels the goal starts at are recorded, not announced: nothing was reached here, and a
  // later contribution must not announce them either.
  await platform.db.batch([platform.db.insert(goals).values(row), recordMilestones(platform.db, row.id, row.createdAt)]);
  return goalView(row, now, user.timeZone);
}

async function findOwn(platform: Platform, userId: string, id: string) {
  const [row] = await platform.db.select().from(goals).where(ownGoal(id, userId));
  if (!row) throw notFound('Goal');
  return row;
}

export async function updateGoal(platform: Platform, user: User, id: string, body: z.infer<typeof UpdateGoalBody>): Promise<GoalView> {
  // Read for the currency only (fixed at creation): the write itself is guarded in SQL.
  const { currency } = await findOwn(platform, user.id, id);
  const { targetAmount, currentAmount, status, ...rest } = body;
  const targetMinor = targetAmount === undefined ? undefined : toMinor(targetAmount, currency, 'json.targetAmount');
  const currentMinor = currentAmount === undefined ? undefined : signedMinor(currentAmount, currency, 'json.currentAmount');
  const now = platform.clock.now();
  const newTarget = targetMinor ?? goals.targetMinor;
  const newCurrent = currentMinor ?? goals.currentMinor;
  const [updated, ...written] = await platform.db.batch([
    platform.db
      .update(goals)
      .set({
        ...rest,
        ...(targetMinor !== undefined && { targetMinor }),
        ...(currentMinor !== undefined && { currentMinor }),
        // Reaching the target completes an active goal, unless the client says which status it wants.
        status: status ?? sql`case when ${goals.status} = 'active' and ${newCurrent} >= ${newTarget} then 'completed' else ${goals.status} end`,
        updatedAt: now.toISOString(),
      })
      .where(ownGoal(id, user.id))
      .returning(),
    ...milestoneFeed(platform, user.id, id, currency, now.toISOString()),
    recordMilestones(platform.db, id, now.toISOString()),
  ]);
  const reached = written.at(-1) as { milestone: number }[];
  const row = updated[0];
  if (!row) throw notFound('Goal'); // deleted meanwhile
  await announce(platform, user.id, row, reached);
  return goalView(row, now, user.timeZone);
}

/**
 * Adds (or, negative, withdraws) an amount in one atomic batch: the contribution row is written
 * only when the goal is the user's and the new total stays at 0 or more, and the total moves
 * only when that row was written. The sum is computed by SQLite, so concurrent contributions
 * all count.
 */
export async function contribute(platform: Platform, user: User, id: string, body: z.infer<typeof ContributeBody>): Promise<GoalView> {
  const { currency } = await findOwn(platform, user.id, id);
  const amountMinor = signedMinor(body.amount, currency, 'json.amount');
  const contributionId = platform.ids.next();
  const now = platform.clock.now();
  const at = now.toISOString();
  const { db } = platform;
  const [, updated, ...written] = await db.batch([
    db.run(sql`
      insert into ${goalContributions} (id, goal_id, amount_minor, note, created_at)
      select ${contributionId}, ${goals.id}, ${amountMinor}, ${body.note ?? null}, ${at}
      from ${goals} where ${ownGoal(id, user.id)} and ${goals.currentMinor} + ${amountMinor} >= 0`),
    db
      .update(goals)
      .set({
        currentMinor: sql`${goals.currentMinor} + ${amountMinor}`,
        status: sql`case when ${goals.status} = 'active' and ${goals.currentMinor} + ${amountMinor} >= ${goals.targetMinor} then 'completed' else ${goals.status} end`,
        updatedAt: at,
      })
      .where(and(ownGoal(id, user.id), sql`exists (select 1 from ${goalContributions} where ${goalContributions.id} = ${contributionId})`))
      .returning(),
    ...milestoneFeed(platform, user.id, id, currency, at),
    recordMilestones(db, id, at),
  ]);
  const reached = written.at(-1) as { milestone: number }[];
  const row = updated[0];
  if (!row) {
    const current = await findOwn(platform, user.id, id); // 404 when deleted meanwhile
    throw new AppError('VALIDATION_FAILED', 'Withdrawal exceeds the saved amount', [
      { path: 'json.amount', message: `would take currentAmount below 0 (saved: ${fromMinor(current.currentMinor, currency)} ${currency})` },
    ]);
  }
  await announce(platform, user.id, row, reached);
  return goalView(row, now, user.timeZone);
}

export async function deleteGoal(platform: Platform, user: User, id: string) {
  const { db } = platform;
  const own = db.select({ id: goals.id }).from(goals).where(ownGoal(id, user.id));
  // Explicit deletes, not only ON DELETE CASCADE: a remote database may run without foreign keys.
  const [, , gone] = await db.batch([
    db.delete(goalMilestones).where(inArray(goalMilestones.goalId, own)),
    db.delete(goalContributions).where(inArray(goalContributions.goalId, own)),
    db.delete(goals).where(ownGoal(id, user.id)).returning({ id: goals.id }),
  ]);
  if (gone.length === 0) throw notFound('Goal');
}
