import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import { answerHoldsSecret } from '../../../core/idempotency/middleware.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { TwoFactorSetup } from '../schemas.ts';
import { setup } from '../two-factor.ts';

const route = createRoute({
  method: 'post',
  path: '/2fa/setup',
  operationId: 'setUpTwoFactor',
  tags: ['auth'],
  summary: 'Start setting up two-factor sign-in',
  description:
    'A new TOTP secret (RFC 6238: SHA-1, 6 digits, 30 s) and its otpauth:// URI. Not in force until `POST /api/auth/2fa/verify-setup` gets a code from it; asking again replaces it. 409 `TWO_FACTOR_ENABLED` when it is on already.',
  security: bearerSecurity,
  middleware: [requireAuth, answerHoldsSecret] as const,
  responses: {
    200: jsonContent(TwoFactorSetup, 'The secret to enter in an authenticator app'),
    ...errors(401, 409),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await setup(c.get('platform'), c.get('user').id), 200));
