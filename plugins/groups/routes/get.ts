import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { GroupDetailResponse, GroupIdParam } from '../schemas.ts';
import { getGroup } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getGroup',
  tags: ['groups'],
  summary: 'Get group details',
  description: 'Members with their names and emails (those who left or were removed too, inactive), pending invitations and the latest expenses. A non-member gets 404.',
  security: scoped('groups:read'),
  middleware: requireAuth,
  request: { params: GroupIdParam },
  responses: {
    200: jsonContent(GroupDetailResponse, 'The group'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json({ success: true, data: await getGroup(c.get('platform'), c.get('user'), c.req.valid('param').id) } as const, 200));
