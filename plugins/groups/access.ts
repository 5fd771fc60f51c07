import { and, asc, eq } from 'drizzle-orm';
import { users } from '../../core/auth/tables.ts';
import { AppError, notFound } from '../../core/http/errors.ts';
import type { Platform } from '../../core/platform.ts';
import { groupMembers, groups } from './tables.ts';

export type GroupRow = typeof groups.$inferSelect;

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  role: 'admin' | 'member';
  isActive: boolean;
  joinedAt: string;
}

/** The group and every member it ever had (names and emails from core's user table), oldest first. */
export async function readGroup(platform: Platform, groupId: string): Promise<{ group: GroupRow; members: MemberRow[] } | null> {
  const { db } = platform;
  const [[group], members] = await db.batch([
    db.select().from(groups).where(eq(groups.id, groupId)),
    db
      .select({
        userId: groupMembers.userId,
        name: users.name,
        email: users.email,
        role: groupMembers.role,
        isActive: groupMembers.isActive,
        joinedAt: groupMembers.joinedAt,
      })
      .from(groupMembers)
      .innerJoin(users, eq(users.id, groupMembers.userId))
      .where(eq(groupMembers.groupId, groupId))
      .orderBy(asc(groupMembers.joinedAt), asc(groupMembers.userId)),
  ]);
  return group ? { group, members } : null;
}

export interface Membership {
  group: GroupRow;
  members: MemberRow[];
  me: MemberRow;
}

/**
 * The group as `userId` may see it. A non-member, a removed member and an unknown id all get the
 * same 404: whether a group exists is itself something only its members may learn.
 */
export async function requireMember(platform: Platform, groupId: string, userId: string): Promise<Membership> {
  const found = await readGroup(platform, groupId);
  const me = found?.members.find((m) => m.userId === userId && m.isActive);
  if (!found || !me) throw notFound('Group');
  return { ...found, me };
}

/** As requireMember, and 403 for a member who is not an admin (they know the group exists). */
export async function requireAdmin(platform: Platform, groupId: string, userId: string): Promise<Membership> {
  const membership = await requireMember(platform, groupId, userId);
  if (membership.me.role !== 'admin') throw new AppError('FORBIDDEN', 'Only a group admin can do this');
  return membership;
}

/** The condition "`userId` is an active member of `groupId`", to guard writes in SQL. */
export const activeMember = (groupId: string, userId: string) =>
  and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId), eq(groupMembers.isActive, true))!;
