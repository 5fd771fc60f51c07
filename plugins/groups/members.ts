import type { z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { users } from '../../core/auth/tables.ts';
import { AppError, notFound } from '../../core/http/errors.ts';
import type { Platform } from '../../core/platform.ts';
import { activeMember, readGroup, requireAdmin, requireMember } from './access.ts';
import { MAX_INVITATIONS, MAX_MEMBERS, type LeaveBody } from './schemas.ts';
import { groupDetail } from './service.ts';
import { groupInvitations, groupMembers } from './tables.ts';

const full = (what: string, max: number) => new AppError('GROUP_FULL', `A group holds at most ${max} ${what}`);

/**
 * Turns the pending invitations of `email` into memberships of `userId`, in one batch. Runs at
 * register (`user.registered`), and after an invitation is written in case the person
 * registered between the lookup and the write.
 */
export async function acceptInvitations(platform: Platform, userId: string, email: string) {
  const { db } = platform;
  const now = platform.clock.now().toISOString();
  // "where true" lets SQLite read the upsert clause of an INSERT … SELECT.
  await db.batch([
    db.run(sql`
      insert into ${groupMembers} (group_id, user_id, role, is_active, joined_at)
      select group_id, ${userId}, 'member', 1, ${now} from ${groupInvitations} where email = ${email} and true
      on conflict (group_id, user_id) do update set is_active = 1, role = 'member', joined_at = excluded.joined_at where is_active = 0`),
    db.delete(groupInvitations).where(eq(groupInvitations.email, email)),
  ]);
}

/**
 * Adds the account with this email as a member, or (no account yet) invites the email. A
 * member who left or was removed comes back as a plain member.
 */
export async function addMember(platform: Platform, userId: string, groupId: string, email: string) {
  const { members } = await requireAdmin(platform, groupId, userId);
  const { db } = platform;
  const now = platform.clock.now().toISOString();
  const [[account], [counted]] = await db.batch([
    db.select({ id: users.id }).from(users).where(eq(users.email, email)),
    db.select({ n: sql<number>`count(*)` }).from(groupInvitations).where(eq(groupInvitations.groupId, groupId)),
  ]);
  // Every invitation may become a member: together they stay within the group's size.
  const invitations = counted?.n ?? 0;
  if (members.length + invitations >= MAX_MEMBERS && !members.some((m) => m.userId === account?.id)) {
    throw full('members and pending invitations', MAX_MEMBERS);
  }
  // The size is checked again inside each insert: two adds at once cannot both pass it.
  const roomLeft = sql`(select count(*) from ${groupMembers} where group_id = ${groupId}) + (select count(*) from ${groupInvitations} where group_id = ${groupId}) < ${MAX_MEMBERS}`;
  let message: string;
  if (account) {
    const existing = members.find((m) => m.userId === account.id);
    if (existing?.isActive) throw new AppError('ALREADY_MEMBER', 'This user is already a member of the group');
    if (existing) {
      // A member who left comes back: their row is already counted.
      await db.update(groupMembers).set({ isActive: true, role: 'member', joinedAt: now }).where(sql`${groupMembers.groupId} = ${groupId} and ${groupMembers.userId} = ${account.id}`);
    } else {
      const added = await db.all(sql`
        insert into ${groupMembers} (group_id, user_id, role, is_active, joined_at)
        select ${groupId}, ${account.id}, 'member', 1, ${now} where ${roomLeft}
        on conflict (group_id, user_id) do update set is_active = 1, role = 'member', joined_at = excluded.joined_at
        returning user_id`);
      if (added.length === 0) throw full('members and pending invitations', MAX_MEMBERS);
    }
    message = 'Member added';
  } else {
    if (invitations >= MAX_INVITATIONS) throw full('pending invitations', MAX_INVITATIONS);
    const [known] = await db.select({ email: groupInvitations.email }).from(groupInvitations).where(sql`${groupInvitations.groupId} = ${groupId} and ${groupInvitations.email} = ${email}`);
    if (known) throw new AppError('ALREADY_INVITED', 'This email is already invited to the group');
    const inserted = await db.all(sql`
      insert into ${groupInvitations} (group_id, email, invited_by, invited_at)
      select ${groupId}, ${email}, ${userId}, ${now} where ${roomLeft}
      on conflict do nothing
      returning email`);
    if (inserted.length === 0) {
      const [raced] = await db.select({ email: groupInvitations.email }).from(groupInvitations).where(sql`${groupInvitations.groupId} = ${groupId} and ${groupInvitations.email} = ${email}`);
      throw raced ? new AppError('ALREADY_INVITED', 'This email is already invited to the group') : full('members and pending invitations', MAX_MEMBERS);
    }
    const [registered] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (registered) await acceptInvitations(platform, registered.id, email);
    message = registered ? 'Member added' : 'Invitation recorded: it becomes a membership when this email registers';
  }
  const after = await readGroup(platform, groupId);
  if (!after) throw notFound('Group'); // deleted meanwhile
  return { message, data: await groupDetail(platform, after) };
}

/** The active admins left if `leaving` stops being active. */
const adminsWithout = (members: { userId: string; role: string; isActive: boolean }[], leaving: string) =>
  members.filter((m) => m.isActive && m.role === 'admin' && m.userId !== leaving);

/**
 * Deactivates `leaving`, unless that would leave the group without an active admin: checked in
 * the statement itself, so two admins leaving at once cannot both go. Returns whether it did.
 */
const deactivate = (platform: Platform, groupId: string, leaving: string) =>
  platform.db
    .update(groupMembers)
    .set({ isActive: false })
    .where(
      sql`${activeMember(groupId, leaving)} and (${groupMembers.role} <> 'admin' or exists (
        select 1 from ${groupMembers} other where other.group_id = ${groupId} and other.role = 'admin' and other.is_active = 1 and other.user_id <> ${leaving}))`,
    )
    .returning({ userId: groupMembers.userId });

const lastAdmin = () =>
  new AppError('LAST_ADMIN', 'The group’s last admin cannot be removed: leave with POST /leave naming a new admin, or delete the group');

export async function removeMember(platform: Platform, userId: string, groupId: string, memberId: string) {
  const { members } = await requireAdmin(platform, groupId, userId);
  const target = members.find((m) => m.userId === memberId && m.isActive);
  if (!target) throw notFound('Member');
  if (adminsWithout(members, memberId).length === 0) throw lastAdmin();
  if ((await deactivate(platform, groupId, memberId)).length === 0) throw lastAdmin();
}

/**
 * The caller stops being an active member. The last active admin names the member who becomes
 * admin (`newAdminId`); the only member cannot leave (delete the group instead): 409 LAST_ADMIN.
 */
export async function leaveGroup(platform: Platform, userId: string, groupId: string, body: z.infer<typeof LeaveBody>) {
  const { members, me } = await requireMember(platform, groupId, userId);
  const others = members.filter((m) => m.isActive && m.userId !== userId);
  if (others.length === 0) throw new AppError('LAST_ADMIN', 'You are the group’s only member: delete the group instead');
  const needsHeir = me.role === 'admin' && adminsWithout(members, userId).length === 0;
  if (needsHeir && !body.newAdminId) {
    throw new AppError('LAST_ADMIN', 'You are the group’s last admin: name another member as `newAdminId` to leave');
  }
  if (body.newAdminId && !others.some((m) => m.userId === body.newAdminId)) {
    throw new AppError('VALIDATION_FAILED', 'Invalid new admin', [{ path: 'json.newAdminId', message: 'is not another active member of the group' }]);
  }
  const { db } = platform;
  // The heir is promoted first in the same batch, so the leave's own check sees them.
  const left = body.newAdminId
    ? (await db.batch([db.update(groupMembers).set({ role: 'admin' }).where(activeMember(groupId, body.newAdminId)), deactivate(platform, groupId, userId)]))[1]
    : await deactivate(platform, groupId, userId);
  if (left.length === 0) throw new AppError('LAST_ADMIN', 'You are the group’s last admin: name another active member as `newAdminId` to leave');
}

