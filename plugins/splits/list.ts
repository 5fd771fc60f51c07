import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, ne, or, sql } from 'drizzle-orm';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { decodeCursor, pageOf, pageOffset } from '../../core/http/paging.ts';
import type { Platform } from '../../core/platform.ts';
import type { ListSplitsQuery } from './schemas.ts';
import { splitPayments, splits, splitShares } from './tables.ts';
import { involves, loadSplits, splitView } from './view.ts';

/**
 * The caller's pending splits: not settled, and either the caller paid the expense (others still
 * owe them) or the caller's own share is unpaid. Newest first, a page at a time.
 */
export async function listPending(platform: Platform, user: Pick<AuthUser, 'id'>, query: z.infer<typeof ListSplitsQuery>, requestUrl: string) {
  const ownUnpaid = sql`exists (select 1 from ${splitShares} s where s.split_id = ${splits.id} and s.user_id = ${user.id}
    and not exists (select 1 from ${splitPayments} p where p.split_id = s.split_id and p.user_id = s.user_id))`;
  const where = [ne(splits.status, 'settled'), involves(user.id), or(eq(splits.payerId, user.id), ownUnpaid)!];
  if (query.cursor) where.push(lt(splits.id, decodeCursor(query.cursor, 1)[0]!));
  const offset = pageOffset(query);
  // Ids are time-ordered (UUIDv7): newest first by id.
  const rows = await platform.db
    .select({ id: splits.id })
    .from(splits)
    .where(and(...where))
    .orderBy(desc(splits.id))
    .limit(query.limit + 1)
    .offset(offset);
  const { page, link } = pageOf(rows, query, requestUrl, (r) => [r.id]);
  const data = (await loadSplits(platform, page.map((r) => r.id))).map(splitView);
  return { data, link };
}
