import type { z } from '@hono/zod-openapi';
import { and, count, desc, eq, lt } from 'drizzle-orm';
import { notFound } from '../../core/http/errors.ts';
import { decodeCursor, pageOf, pageOffset } from '../../core/http/paging.ts';
import type { Platform } from '../../core/platform.ts';
import type { ListNotificationsQuery, Notification } from './schemas.ts';
import { notifications } from './tables.ts';

type Row = typeof notifications.$inferSelect;
type NotificationView = z.infer<typeof Notification>;

const view = (r: Row): NotificationView => ({
  _id: r.id,
  type: r.type,
  title: r.title,
  message: r.message,
  data: r.data,
  read: r.read,
  createdAt: r.createdAt,
});

const own = (id: string, userId: string) => and(eq(notifications.id, id), eq(notifications.userId, userId))!;

/** Newest first, a page at a time (keyset on the time-ordered id; `page` for older clients). */
export async function listNotifications(platform: Platform, userId: string, query: z.infer<typeof ListNotificationsQuery>, requestUrl: string) {
  const where = [eq(notifications.userId, userId)];
  if (query.read !== undefined) where.push(eq(notifications.read, query.read));
  if (query.cursor) where.push(lt(notifications.id, decodeCursor(query.cursor, 1)[0]!));
  const offset = pageOffset(query);
  const rows = await platform.db
    .select()
    .from(notifications)
    .where(and(...where))
    .orderBy(desc(notifications.id))
    .limit(query.limit + 1)
    .offset(offset);
  const { page, link } = pageOf(rows, query, requestUrl, (r) => [r.id]);
  return { notifications: page.map(view), link };
}

export async function markRead(platform: Platform, userId: string, id: string): Promise<NotificationView> {
  const [row] = await platform.db.update(notifications).set({ read: true }).where(own(id, userId)).returning();
  // Another user's notification is as absent as one that never existed: 404, never 403.
  if (!row) throw notFound('Notification');
  return view(row);
}

export async function markAllRead(platform: Platform, userId: string): Promise<number> {
  const result = await platform.db
    .update(notifications)
    .set({ read: true })
    .where(and(eq(notifications.userId, userId), eq(notifications.read, false)));
  return result.rowsAffected;
}

export async function unreadCount(platform: Platform, userId: string): Promise<number> {
  const [row] = await platform.db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.read, false)));
  return row?.n ?? 0;
}

export async function deleteNotification(platform: Platform, userId: string, id: string): Promise<void> {
  const gone = await platform.db.delete(notifications).where(own(id, userId)).returning({ id: notifications.id });
  if (gone.length === 0) throw notFound('Notification');
}
