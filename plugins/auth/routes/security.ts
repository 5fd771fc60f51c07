import { createRoute } from '@hono/zod-openapi';
import { requireAuth, sessionIdOf } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { SecurityOverview, SecurityQuery } from '../schemas.ts';
import { securityOverview } from '../security.ts';

const route = createRoute({
  method: 'get',
  path: '/security',
  operationId: 'getSecurityOverview',
  tags: ['auth'],
  summary: "The account's recent sign-ins, sessions and failures",
  description:
    'The latest sign-ins (device, address, user agent, time, whether the device was new), the sessions still signed in, and the latest failures on the account: wrong passwords or codes, lockouts, refused tokens. `limit` bounds the sign-ins and the failures each.',
  security: bearerSecurity,
  middleware: requireAuth,
  request: { query: SecurityQuery },
  responses: {
    200: jsonContent(SecurityOverview, 'The overview'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await securityOverview(c.get('platform'), { id: c.get('user').id, sessionId: sessionIdOf(c.get('user')) }, c.req.valid('query').limit), 200));
