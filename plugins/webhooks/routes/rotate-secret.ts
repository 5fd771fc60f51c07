import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { answerHoldsSecret } from '../../../core/idempotency/middleware.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { RotatedSecret, WebhookIdParam } from '../schemas.ts';
import { rotateSecret } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/{id}/rotate-secret',
  operationId: 'rotateWebhookSecret',
  tags: ['webhooks'],
  summary: 'Replace the signing secret',
  description:
    'Answers the new secret (shown only now). For 24 hours each delivery carries two `v1=` signatures, one per secret, so a receiver may switch over at its pace; a second rotation within them drops the oldest secret.',
  security: scoped('webhooks:write'),
  middleware: [requireAuth, answerHoldsSecret] as const,
  request: { params: WebhookIdParam },
  responses: {
    200: jsonContent(RotatedSecret, 'The new secret'),
    ...errors(401, 404, 409),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await rotateSecret(c.get('platform'), c.get('user').id, c.req.valid('param').id), 200));
