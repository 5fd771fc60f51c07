import { createRoute } from '@hono/zod-openapi';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { z } from '@hono/zod-openapi';
import { AuthResult, LoginBody, TwoFactorChallenge } from '../schemas.ts';
import { login } from '../service.ts';
import { clientInfo } from '../sessions.ts';

const route = createRoute({
  method: 'post',
  path: '/login',
  operationId: 'login',
  tags: ['auth'],
  security: [],
  middleware: rateLimit('auth', { count: 'failures' }),
  summary: 'Authenticate user and get JWT token',
  description:
    'An unknown email and a wrong password get the same 401. With two-factor sign-in on, the right password answers a challenge (`twoFactorRequired: true`) that `POST /api/auth/2fa/verify` exchanges, with a code, for the token.',
  request: { body: jsonBody(LoginBody, 'Email and password') },
  responses: {
    200: jsonContent(z.union([AuthResult, TwoFactorChallenge]), 'Signed in; or, with two-factor on, a challenge for POST /api/auth/2fa/verify'),
    ...errors(401, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await login(c.get('platform'), c.req.valid('json'), clientInfo(c, c.req.valid('json').deviceName)), 200));
