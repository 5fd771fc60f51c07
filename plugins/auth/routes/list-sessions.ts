import { createRoute } from '@hono/zod-openapi';
import { requireAuth, sessionIdOf } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { SessionList } from '../schemas.ts';
import { listSessions, MAX_LISTED_SESSIONS } from '../sessions.ts';

const route = createRoute({
  method: 'get',
  path: '/sessions',
  operationId: 'listSessions',
  tags: ['auth'],
  summary: "The user's signed-in sessions",
  description: `Every sign-in still valid (not signed out, token not expired), the latest first, at most ${MAX_LISTED_SESSIONS}: device, address, user agent, when it began and was last seen; \`current\` marks the one asking.`,
  security: bearerSecurity,
  middleware: requireAuth,
  responses: {
    200: jsonContent(SessionList, 'The sessions'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const data = await listSessions(c.get('platform'), c.get('user').id, sessionIdOf(c.get('user')));
    return c.json({ success: true as const, count: data.length, data }, 200);
  });
