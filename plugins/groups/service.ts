import type { z } from '@hono/zod-openapi';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import type { Platform } from '../../core/platform.ts';
import type { GroupRow, MemberRow } from './access.ts';
import type { CreateGroupBody } from './schemas.ts';
import { groupMembers, groups } from './tables.ts';

type User = Pick<AuthUser, 'id' | 'currency'>;

export const settingsOf = (g: GroupRow) => ({
  allowPublicExpenses: g.allowPublicExpenses,
  requireApproval: g.requireApproval,
  defaultSplitMethod: g.defaultSplitMethod,
});

const groupFields = (g: GroupRow) => ({
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

export { groupFields };

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
