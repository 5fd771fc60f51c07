import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Deleted } from '../../../core/schemas.ts';
import { removeMember } from '../members.ts';
import { MemberParams } from '../schemas.ts';

const route = createRoute({
  method: 'delete',
  path: '/{id}/members/{memberId}',
  operationId: 'removeGroupMember',
  tags: ['groups'],
  summary: 'Remove member from group',
  description:
    'Admins only (a member gets 403). The member becomes inactive: they no longer see the group (404), and their balance stays in it. 404 for a user who is not an active member; 409 `LAST_ADMIN` when no active admin would remain.',
  security: scoped('groups:write'),
  middleware: requireAuth,
  request: { params: MemberParams },
  responses: {
    200: jsonContent(Deleted, 'The member is removed'),
    ...errors(401, 403, 404, 409),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { id, memberId } = c.req.valid('param');
    await removeMember(c.get('platform'), c.get('user').id, id, memberId);
    return c.json({ success: true, message: 'Member removed' } as const, 200);
  });
