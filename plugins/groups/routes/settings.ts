import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { GroupIdParam, GroupUpdated, UpdateSettingsBody } from '../schemas.ts';
import { updateSettings } from '../service.ts';

const route = createRoute({
  method: 'put',
  path: '/{id}/settings',
  operationId: 'updateGroupSettings',
  tags: ['groups'],
  summary: "Update a group's settings",
  description: 'Admins only (a member gets 403). Any subset of the settings.',
  security: scoped('groups:write'),
  middleware: requireAuth,
  request: { params: GroupIdParam, body: jsonBody(UpdateSettingsBody, 'The settings to change') },
  responses: {
    200: jsonContent(GroupUpdated, 'The group with its new settings'),
    ...errors(401, 403, 404, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) =>
    c.json(
      { success: true, message: 'Group settings updated', data: await updateSettings(c.get('platform'), c.get('user'), c.req.valid('param').id, c.req.valid('json')) } as const,
      200,
    ),
  );
