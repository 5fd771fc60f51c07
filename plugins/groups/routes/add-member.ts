import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { addMember } from '../members.ts';
import { AddMemberBody, GroupIdParam, MemberAdded } from '../schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/{id}/members',
  operationId: 'addGroupMember',
  tags: ['groups'],
  summary: 'Add member to group',
  description:
    'Admins only (a member gets 403). The account with this email becomes a member (one who left or was removed comes back as a member); an email without an account is recorded as an invitation, which becomes a membership when that person registers. 409 `ALREADY_MEMBER`, `ALREADY_INVITED`, or `GROUP_FULL` (100 members and pending invitations together, removed members included).',
  security: scoped('groups:write'),
  middleware: requireAuth,
  request: { params: GroupIdParam, body: jsonBody(AddMemberBody, 'The email of the person to add') },
  responses: {
    201: jsonContent(MemberAdded, 'The group with its new member or invitation'),
    ...errors(401, 403, 404, 409, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { message, data } = await addMember(c.get('platform'), c.get('user').id, c.req.valid('param').id, c.req.valid('json').email);
    return c.json({ success: true, message, data } as const, 201);
  });
