import { and, asc, eq, notExists, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { AppError, notFound } from '../../core/http/errors.ts';
import type { Platform } from '../../core/platform.ts';
import { isUniqueViolation } from '../../core/db/errors.ts';
import { BUILT_IN_CATEGORIES, MAX_CUSTOM_CATEGORIES } from './schemas.ts';
import { expenseCategories, expenses } from './tables.ts';

const builtIn = new Set<string>(BUILT_IN_CATEGORIES);

export async function assertCategory(platform: Platform, userId: string, name: string): Promise<void> {
  if (builtIn.has(name)) return;
  const [own] = await platform.db
    .select({ name: expenseCategories.name })
    .from(expenseCategories)
    .where(and(eq(expenseCategories.userId, userId), eq(expenseCategories.name, name)));
  if (!own) {
    throw new AppError('UNKNOWN_CATEGORY', `Unknown category: ${name}`, [
      { path: 'category', message: 'is neither a built-in category nor one of yours' },
    ]);
  }
}

export async function listCategories(platform: Platform, userId: string) {
  const own = await platform.db
    .select({ name: expenseCategories.name })
    .from(expenseCategories)
    .where(eq(expenseCategories.userId, userId))
    .orderBy(asc(expenseCategories.name));
  return [...BUILT_IN_CATEGORIES.map((name) => ({ name, custom: false })), ...own.map(({ name }) => ({ name, custom: true }))];
}

const owned = (userId: string, name: string) =>
  sql`exists (select 1 from ${expenseCategories} where ${expenseCategories.userId} = ${userId} and ${expenseCategories.name} = ${name})`;

/** A custom category in the change log: its name is its id; it is never updated, so its version is 1. */
const categoryData = (name: string) => JSON.stringify({ name, custom: true, version: 1 });

export async function createCategory(platform: Platform, userId: string, name: string, deviceId: string | null = null) {
  const exists = () => new AppError('CATEGORY_EXISTS', `Category ${name} already exists`);
  if (builtIn.has(name)) throw exists();
  let inserted: unknown[];
  const { db } = platform;
  const now = platform.clock.now().toISOString();
  try {
    // The cap is checked in the insert itself: two creates at once cannot pass it together.
    const [rows] = await db.batch([
      db.all(sql`
        insert into ${expenseCategories} (user_id, name, created_at)
        select ${userId}, ${name}, ${now}
        where (select count(*) from ${expenseCategories} where user_id = ${userId}) < ${MAX_CUSTOM_CATEGORIES}
        returning name`),
      // Logged only when the insert passed the cap (an existing name fails the whole batch).
      ...platform.changes.record(db, {
        userId,
        entity: 'category',
        entityId: name,
        op: 'CREATE',
        version: 1,
        data: categoryData(name),
        deviceId,
        at: now,
        when: owned(userId, name),
      }),
    ]);
    inserted = rows as unknown[];
  } catch (err) {
    if (isUniqueViolation(err)) throw exists();
    throw err;
  }
  if (inserted.length === 0) {
    throw new AppError('CATEGORY_LIMIT_REACHED', `At most ${MAX_CUSTOM_CATEGORIES} categories of your own; delete one first`);
  }
  await platform.changes.committed(userId);
  return { name, custom: true };
}

export async function deleteCategory(platform: Platform, userId: string, name: string, deviceId: string | null = null) {
  const { db } = platform;
  const mine = and(eq(expenseCategories.userId, userId), eq(expenseCategories.name, name));
  const usedBy = db
    .select({ id: expenses.id })
    .from(expenses)
    .where(and(eq(expenses.userId, userId), eq(expenses.category, name)));
  const unused = sql`not exists (select 1 from ${expenses} where ${expenses.userId} = ${userId} and ${expenses.category} = ${name})`;
  // One batch: an expense filed under it meanwhile cannot be left with a deleted category, and
  // the log row is written under the same condition as the delete, before it.
  const [, deleted] = await db.batch([
    ...(platform.changes.record(db, {
      userId,
      entity: 'category',
      entityId: name,
      op: 'DELETE',
      version: 2,
      data: null,
      deviceId,
      at: platform.clock.now().toISOString(),
      when: sql`${owned(userId, name)} and ${unused}`,
    }) as [BatchItem<'sqlite'>]),
    db.delete(expenseCategories).where(and(mine, notExists(usedBy))).returning({ name: expenseCategories.name }),
  ]);
  if (deleted.length > 0) return platform.changes.committed(userId);
  const [own] = await db.select({ name: expenseCategories.name }).from(expenseCategories).where(mine);
  if (!own) throw notFound('Category');
  throw new AppError('CATEGORY_IN_USE', `Category ${name} is used by expenses; move them first`);
}
