import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Deleted } from '../../../core/schemas.ts';
import { GroupIdParam } from '../schemas.ts';
import { deleteGroup } from '../service.ts';

const route = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteGroup',
  tags: ['groups'],
  summary: 'Delete a group',
  description: 'Admins only (a member gets 403). Its members, invitations, links and ledger go with it; the expenses stay, each an ordinary expense of the member who paid it.',
  security: scoped('groups:write'),
  middleware: requireAuth,
  request: { params: GroupIdParam },
  responses: {
    200: jsonContent(Deleted, 'The group is deleted'),
    ...errors(401, 403, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await deleteGroup(c.get('platform'), c.get('user'), c.req.valid('param').id);
    return c.json({ success: true, message: 'Group deleted' } as const, 200);
  });
