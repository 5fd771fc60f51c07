import { createRoute } from '@hono/zod-openapi';
import { requireAuth, sessionIdOf } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ChangePasswordBody, PasswordChanged } from '../schemas.ts';
import { changePassword } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/change-password',
  operationId: 'changePassword',
  tags: ['auth'],
  summary: 'Change the password',
  description:
    'Needs the current password (403 `WRONG_PASSWORD` otherwise, counted as a failed attempt). Every other session is signed out; the one asking stays signed in.',
  security: bearerSecurity,
  middleware: [requireAuth, rateLimit('auth', { count: 'failures' })] as const,
  request: { body: jsonBody(ChangePasswordBody, 'The current password and the new one (8 to 128 characters)') },
  responses: {
    200: jsonContent(PasswordChanged, 'Changed'),
    ...errors(401, 403, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await changePassword(c.get('platform'), { id: c.get('user').id, sessionId: sessionIdOf(c.get('user')) }, c.req.valid('json')), 200));
