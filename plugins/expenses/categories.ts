import { and, asc, eq, notExists, sql } from 'drizzle-orm';
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

export async function createCategory(platform: Platform, userId: string, name: string) {
  const exists = () => new AppError('CATEGORY_EXISTS', `Category ${name} already exists`);
  if (builtIn.has(name)) throw exists();
  let inserted: unknown[];
  try {
    // The cap is checked in the insert itself: two creates at once cannot pass it together.
    inserted = await platform.db.all(sql`
      insert into ${expenseCategories} (user_id, name, created_at)
      select ${userId}, ${name}, ${platform.clock.now().toISOString()}
      where (select count(*) from ${expenseCategories} where user_id = ${userId}) < ${MAX_CUSTOM_CATEGORIES}
      returning name`);
  } catch (err) {
    if (isUniqueViolation(err)) throw exists();
    throw err;
  }
  if (inserted.length === 0) {
    throw new AppError('CATEGORY_LIMIT_REACHED', `At most ${MAX_CUSTOM_CATEGORIES} categories of your own; delete one first`);
  }
  return { name, custom: true };
}

export async function deleteCategory(platform: Platform, userId: string, name: string) {
  const { db } = platform;
  const mine = and(eq(expenseCategories.userId, userId), eq(expenseCategories.name, name));
  const usedBy = db
    .select({ id: expenses.id })
    .from(expenses)
    .where(and(eq(expenses.userId, userId), eq(expenses.category, name)));
  // One statement: an expense filed under it meanwhile cannot be left with a deleted category.
  const deleted = await db.delete(expenseCategories).where(and(mine, notExists(usedBy))).returning({ name: expenseCategories.name });
  if (deleted.length > 0) return;
  const [own] = await db.select({ name: expenseCategories.name }).from(expenseCategories).where(mine);
  if (!own) throw notFound('Category');
  throw new AppError('CATEGORY_IN_USE', `Category ${name} is used by expenses; move them first`);
}
