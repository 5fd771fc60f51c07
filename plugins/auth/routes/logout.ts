import { createRoute } from '@hono/zod-openapi';
import { requireAuth, sessionIdOf } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Done } from '../schemas.ts';
import { revokeSession } from '../sessions.ts';

const route = createRoute({
  method: 'post',
  path: '/logout',
  operationId: 'logout',
  tags: ['auth'],
  summary: 'Sign out',
  description: 'Ends the session of the token used: that token is refused (401 `SESSION_REVOKED`) from the next request on. Other sessions stay signed in.',
  security: bearerSecurity,
  middleware: requireAuth,
  responses: {
    200: jsonContent(Done, 'Signed out'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await revokeSession(c.get('platform'), c.get('user').id, sessionIdOf(c.get('user')));
    return c.json({ success: true as const, message: 'Signed out' }, 200);
  });
