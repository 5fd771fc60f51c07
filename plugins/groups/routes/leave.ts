import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { leaveGroup } from '../members.ts';
import { GroupIdParam, GroupLeft, LeaveBody } from '../schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/{id}/leave',
  operationId: 'leaveGroup',
  tags: ['groups'],
  summary: 'Leave a group',
  description:
    'The caller becomes an inactive member (their balance stays in the group). The last active admin must name another active member as `newAdminId`, who becomes admin, else 409 `LAST_ADMIN`; the only active member cannot leave (409 `LAST_ADMIN`: delete the group instead). The body is optional otherwise.',
  security: scoped('groups:write'),
  middleware: requireAuth,
  request: { params: GroupIdParam, body: { required: false, description: 'Who becomes admin, when the caller is the last one', content: { 'application/json': { schema: LeaveBody } } } },
  responses: {
    200: jsonContent(GroupLeft, 'The caller left the group'),
    ...errors(401, 404, 409, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await leaveGroup(c.get('platform'), c.get('user').id, c.req.valid('param').id, c.req.valid('json') ?? {});
    return c.json({ success: true, message: 'You left the group' } as const, 200);
  });
