import { createRoute } from '@hono/zod-openapi';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { AuthResult, RegisterBody } from '../schemas.ts';
import { register } from '../service.ts';
import { clientInfo } from '../sessions.ts';

const route = createRoute({
  method: 'post',
  path: '/register',
  operationId: 'register',
  tags: ['auth'],
  security: [],
  middleware: rateLimit('auth', { count: 'failures' }),
  summary: 'Register a new user account',
  request: { body: jsonBody(RegisterBody, 'Name, email and password (8 to 128 characters)') },
  responses: {
    201: jsonContent(AuthResult, 'The account was created; the token is ready to use'),
    ...errors(409, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await register(c.get('platform'), c.req.valid('json'), clientInfo(c, c.req.valid('json').deviceName)), 201));
