import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import { answerHoldsSecret } from '../../../core/idempotency/middleware.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { SyncTicket } from '../schemas.ts';
import { issueTicket } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/ticket',
  operationId: 'createSyncTicket',
  tags: ['sync'],
  summary: 'Get a ticket for the realtime socket',
  description: 'Single use, valid 60 s, bound to the signed-in user: open GET /api/sync/ws?ticket=… with it. The token itself never goes in a URL.',
  security: bearerSecurity,
  middleware: [requireAuth, answerHoldsSecret] as const,
  responses: {
    201: jsonContent(SyncTicket, 'A fresh ticket'),
    ...errors(401),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await issueTicket(c.get('platform'), c.get('user').id), 201));
