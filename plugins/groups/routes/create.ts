import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { CreateGroupBody, GroupCreated } from '../schemas.ts';
import { createGroup } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createGroup',
  tags: ['groups'],
  summary: 'Create a new group',
  description: 'The creator is its first member and its admin.',
  security: scoped('groups:write'),
  middleware: requireAuth,
  request: { body: jsonBody(CreateGroupBody, 'The group; unknown fields are ignored') },
  responses: {
    201: jsonContent(GroupCreated, 'The stored group'),
    ...errors(401, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) =>
    c.json({ success: true, message: 'Group created successfully', data: await createGroup(c.get('platform'), c.get('user'), c.req.valid('json')) } as const, 201),
  );
