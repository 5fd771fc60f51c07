import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { TwoFactorStatus } from '../schemas.ts';
import { status } from '../two-factor.ts';

const route = createRoute({
  method: 'get',
  path: '/2fa/status',
  operationId: 'getTwoFactorStatus',
  tags: ['auth'],
  summary: 'Whether two-factor sign-in is on',
  security: bearerSecurity,
  middleware: requireAuth,
  responses: {
    200: jsonContent(TwoFactorStatus, 'On or off, since when, and how many backup codes are unused'),
    ...errors(401),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await status(c.get('platform'), c.get('user').id), 200));
