import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ApiKeyList } from '../schemas.ts';
import { listApiKeys } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listApiKeys',
  tags: ['keys'],
  summary: "The user's API keys",
  description: 'Newest first, without their secrets: name, scopes, the first characters of the secret, expiry and last use (to the minute).',
  security: bearerSecurity,
  middleware: requireAuth,
  responses: {
    200: jsonContent(ApiKeyList, 'The keys'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const data = await listApiKeys(c.get('platform'), c.get('user').id);
    return c.json({ success: true as const, count: data.length, data }, 200);
  });
