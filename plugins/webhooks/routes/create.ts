import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { answerHoldsSecret } from '../../../core/idempotency/middleware.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { CreateWebhookBody, WebhookWithSecret } from '../schemas.ts';
import { createWebhook } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createWebhook',
  tags: ['webhooks'],
  summary: 'Create a webhook',
  description:
    'Events of the types given (every type by default) that happen from now on are POSTed to the URL, signed with the secret answered here (shown only now). A 2xx answer within 10 s is a success; anything else is tried again with exponential backoff for 24 hours.',
  security: scoped('webhooks:write'),
  middleware: [requireAuth, answerHoldsSecret] as const,
  request: { body: jsonBody(CreateWebhookBody, 'The webhook') },
  responses: {
    201: jsonContent(WebhookWithSecret, 'The webhook, with its signing secret'),
    ...errors(401, 409),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await createWebhook(c.get('platform'), c.get('user').id, c.req.valid('json')), 201));
