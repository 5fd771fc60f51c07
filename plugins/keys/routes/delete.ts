import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Deleted } from '../../../core/schemas.ts';
import { ApiKeyIdParam } from '../schemas.ts';
import { deleteApiKey } from '../service.ts';

const route = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteApiKey',
  tags: ['keys'],
  summary: 'Delete an API key',
  description: "From its next request on, the key is 401 `INVALID_API_KEY`, on every server. Another user's key is 404.",
  security: bearerSecurity,
  middleware: requireAuth,
  request: { params: ApiKeyIdParam },
  responses: {
    200: jsonContent(Deleted, 'The key is deleted'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await deleteApiKey(c.get('platform'), c.get('user').id, c.req.valid('param').id);
    return c.json({ success: true, message: 'API key deleted' } as const, 200);
  });
