import type { z } from '@hono/zod-openapi';
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { notFound } from '../../core/http/errors.ts';
import { decodeCursor, pageOf, pageOffset } from '../../core/http/paging.ts';
import type { Platform } from '../../core/platform.ts';
import { requireAdmin, requireMember, type GroupRow, type MemberRow, type Membership } from './access.ts';
import { EXPENSES_SHOWN, type CreateGroupBody, type ListGroupsQuery, type UpdateSettingsBody } from './schemas.ts';
import { groupExpenses, groupInvitations, groupLedger, groupMembers, groups } from './tables.ts';

type User = Pick<AuthUser, 'id' | 'currency'>;

export const settingsOf = (g: GroupRow) => ({
  allowPublicExpenses: g.allowPublicExpenses,
  requireApproval: g.requireApproval,
  defaultSplitMethod: g.defaultSplitMethod,
});

export const groupFields = (g: GroupRow) => ({
  _id: g.id,
  name: g.name,
  description: g.description,
  createdBy: g.createdBy,
  currency: g.currency,
  settings: settingsOf(g),
  createdAt: g.createdAt,
  updatedAt: g.updatedAt,
});

/** The seed's create shape: members by user id. */
export const groupView = (g: GroupRow, members: Pick<MemberRow, 'userId' | 'role' | 'joinedAt' | 'isActive'>[]) => ({
  ...groupFields(g),
  members: members.map((m) => ({ user: m.userId, role: m.role, joinedAt: m.joinedAt, isActive: m.isActive })),
});

export async function createGroup(platform: Platform, user: User, body: z.infer<typeof CreateGroupBody>) {
  const now = platform.clock.now().toISOString();
  const row: GroupRow = {
    id: platform.ids.next(),
    name: body.name,
    description: body.description ?? null,
    createdBy: user.id,
    currency: body.currency ?? user.currency,
    allowPublicExpenses: body.settings.allowPublicExpenses ?? false,
    requireApproval: body.settings.requireApproval ?? false,
    defaultSplitMethod: body.settings.defaultSplitMethod ?? 'equal',
    createdAt: now,
    updatedAt: now,
  };
  const creator = { groupId: row.id, userId: user.id, role: 'admin' as const, isActive: true, joinedAt: now };
  const { db } = platform;
  await db.batch([db.insert(groups).values(row), db.insert(groupMembers).values(creator)]);
  return groupView(row, [creator]);
}

// ---- reads and admin actions on the group itself

export async function listGroups(platform: Platform, user: User, query: z.infer<typeof ListGroupsQuery>, requestUrl: string) {
  const where = [eq(groupMembers.userId, user.id), eq(groupMembers.isActive, true)];
  if (query.cursor) where.push(lt(groups.id, decodeCursor(query.cursor, 1)[0]!));
  const offset = pageOffset(query);
  const rows = await platform.db
    .select({
      group: groups,
      role: groupMembers.role,
      memberCount: sql<number>`(select count(*) from ${groupMembers} m where m.group_id = ${groups.id} and m.is_active = 1)`,
      totalExpenses: sql<number>`(select count(*) from ${groupExpenses} e where e.group_id = ${groups.id})`,
    })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(...where))
    // Ids are time-ordered (UUIDv7): newest group first.
    .orderBy(desc(groups.id))
    .limit(query.limit + 1)
    .offset(offset);
  const { page, link } = pageOf(rows, query, requestUrl, (r) => [r.group.id]);
  return {
    groups: page.map(({ group: g, role, memberCount, totalExpenses }) => ({
      _id: g.id,
      name: g.name,
      description: g.description,
      memberCount,
      totalExpenses,
      currency: g.currency,
      role,
      createdAt: g.createdAt,
    })),
    link,
  };
}

export async function groupDetail(platform: Platform, { group, members }: Pick<Membership, 'group' | 'members'>) {
  const { db } = platform;
  const [invitations, links] = await db.batch([
    db.select().from(groupInvitations).where(eq(groupInvitations.groupId, group.id)).orderBy(asc(groupInvitations.invitedAt), asc(groupInvitations.email)),
    db
      .select()
      .from(groupExpenses)
      .where(eq(groupExpenses.groupId, group.id))
      .orderBy(desc(groupExpenses.addedAt), desc(groupExpenses.expenseId))
      .limit(EXPENSES_SHOWN),
  ]);
  // The expenses plugin owns the expenses: read through its service, never its table.
  const found = new Map((await platform.services.expenses.find(links.map((l) => l.expenseId))).map((e) => [e.id, e]));
  return {
    ...groupFields(group),
    members: members.map((m) => ({ user: { _id: m.userId, name: m.name, email: m.email }, role: m.role, joinedAt: m.joinedAt, isActive: m.isActive })),
    invitations: invitations.map((i) => ({ email: i.email, invitedBy: i.invitedBy, invitedAt: i.invitedAt })),
    expenses: links.flatMap((l) => {
      const e = found.get(l.expenseId);
      return e
        ? [{ expense: e.id, addedBy: l.addedBy, addedAt: l.addedAt, paidBy: e.userId, description: e.description, amount: e.amount, currency: e.currency, category: e.category, date: e.date }]
        : [];
    }),
  };
}

export async function getGroup(platform: Platform, user: User, id: string) {
  return groupDetail(platform, await requireMember(platform, id, user.id));
}

export async function updateSettings(platform: Platform, user: User, id: string, body: z.infer<typeof UpdateSettingsBody>) {
  const { members } = await requireAdmin(platform, id, user.id);
  const [row] = await platform.db
    .update(groups)
    .set({ ...body, updatedAt: platform.clock.now().toISOString() })
    .where(eq(groups.id, id))
    .returning();
  if (!row) throw notFound('Group'); // deleted meanwhile
  return groupView(row, members);
}

export async function deleteGroup(platform: Platform, user: User, id: string) {
  await requireAdmin(platform, id, user.id);
  const { db } = platform;
  // Explicit deletes, not only ON DELETE CASCADE: a remote database may run without foreign keys.
  // The linked expenses stay: each is an ordinary expense of the member who paid it.
  await db.batch([
    db.delete(groupLedger).where(eq(groupLedger.groupId, id)),
    db.delete(groupExpenses).where(eq(groupExpenses.groupId, id)),
    db.delete(groupInvitations).where(eq(groupInvitations.groupId, id)),
    db.delete(groupMembers).where(eq(groupMembers.groupId, id)),
    db.delete(groups).where(eq(groups.id, id)),
  ]);
  await platform.events.emit('group.deleted', { groupId: id, deletedBy: user.id });
}
