import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import { answerHoldsSecret } from '../../../core/idempotency/middleware.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { CodeBody, TwoFactorEnabled } from '../schemas.ts';
import { verifySetup } from '../two-factor.ts';

const route = createRoute({
  method: 'post',
  path: '/2fa/verify-setup',
  operationId: 'verifyTwoFactorSetup',
  tags: ['auth'],
  summary: 'Turn two-factor sign-in on',
  description:
    'A current code from the secret of `setup` turns it on and answers ten one-time backup codes, shown only here. 403 `WRONG_CODE` for a code that does not match (a failed attempt); 409 `TWO_FACTOR_NOT_SET_UP` before setup.',
  security: bearerSecurity,
  middleware: [requireAuth, answerHoldsSecret, rateLimit('auth', { count: 'failures' })] as const,
  request: { body: jsonBody(CodeBody, 'A code from the authenticator app') },
  responses: {
    200: jsonContent(TwoFactorEnabled, 'On, with the backup codes'),
    ...errors(401, 403, 409, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await verifySetup(c.get('platform'), c.get('user').id, c.req.valid('json').code), 200));
