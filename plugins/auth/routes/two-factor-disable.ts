import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DisableTwoFactorBody, TwoFactorDisabled } from '../schemas.ts';
import { disable } from '../two-factor.ts';

const route = createRoute({
  method: 'post',
  path: '/2fa/disable',
  operationId: 'disableTwoFactor',
  tags: ['auth'],
  summary: 'Turn two-factor sign-in off',
  description:
    'Needs the password and a code (TOTP or backup): 403 `WRONG_PASSWORD` or `WRONG_CODE` otherwise (a failed attempt); 409 `TWO_FACTOR_NOT_ENABLED` when it is off. The backup codes go with it.',
  security: bearerSecurity,
  middleware: [requireAuth, rateLimit('auth', { count: 'failures' })] as const,
  request: { body: jsonBody(DisableTwoFactorBody, 'The password and a code') },
  responses: {
    200: jsonContent(TwoFactorDisabled, 'Off'),
    ...errors(401, 403, 409, 413, 415),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await disable(c.get('platform'), c.get('user').id, c.req.valid('json')), 200));
