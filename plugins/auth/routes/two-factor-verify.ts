import { createRoute } from '@hono/zod-openapi';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { AuthResult, VerifyLoginBody } from '../schemas.ts';
import { verifyLoginCode } from '../service.ts';
import { clientInfo } from '../sessions.ts';

const route = createRoute({
  method: 'post',
  path: '/2fa/verify',
  operationId: 'verifyTwoFactorLogin',
  tags: ['auth'],
  security: [],
  middleware: rateLimit('auth', { count: 'failures' }),
  summary: 'Finish a two-factor sign-in',
  description:
    "The login's challenge and a code (TOTP, or a backup code, which is then spent) give the token and open the session. A code is good once. 401 `INVALID_CHALLENGE` for a challenge that is over (5 minutes), `INVALID_CODE` for a code that does not match (a failed attempt).",
  request: { body: jsonBody(VerifyLoginBody, 'The challenge from login and a code') },
  responses: {
    200: jsonContent(AuthResult, 'Signed in'),
    ...errors(401, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid('json');
    return c.json(await verifyLoginCode(c.get('platform'), body, clientInfo(c, body.deviceName)), 200);
  });
