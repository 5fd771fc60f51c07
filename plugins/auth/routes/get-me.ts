import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Me } from '../schemas.ts';
import { getMe } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/me',
  operationId: 'getCurrentUser',
  tags: ['auth'],
  summary: 'The signed-in user and their settings',
  security: bearerSecurity,
  middleware: requireAuth,
  responses: {
    200: jsonContent(Me, 'The user'),
    ...errors(401),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await getMe(c.get('platform'), c.get('user').id), 200));
