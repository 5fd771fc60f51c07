import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Done, SessionIdParam } from '../schemas.ts';
import { revokeSession } from '../sessions.ts';

const route = createRoute({
  method: 'delete',
  path: '/sessions/{id}',
  operationId: 'revokeSession',
  tags: ['auth'],
  summary: 'Sign a session out',
  description: "Its token is refused (401 `SESSION_REVOKED`) from its next request on, on every server. The current session may be named too. Another user's session, or one already over, is 404.",
  security: bearerSecurity,
  middleware: requireAuth,
  request: { params: SessionIdParam },
  responses: {
    200: jsonContent(Done, 'Signed out'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await revokeSession(c.get('platform'), c.get('user').id, c.req.valid('param').id);
    return c.json({ success: true as const, message: 'Session signed out' }, 200);
  });
