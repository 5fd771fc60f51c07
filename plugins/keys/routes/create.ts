import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { answerHoldsSecret } from '../../../core/idempotency/middleware.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { CreateApiKeyBody, CreatedApiKey, MAX_API_KEYS } from '../schemas.ts';
import { createApiKey } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createApiKey',
  tags: ['keys'],
  summary: 'Make an API key',
  description: `The answer carries the secret \`key\` this once; only its hash is kept. A user keeps at most ${MAX_API_KEYS} keys (409 \`API_KEY_LIMIT_REACHED\`). Takes a user's token: a key cannot make keys.`,
  security: bearerSecurity,
  middleware: [requireAuth, answerHoldsSecret] as const,
  request: { body: jsonBody(CreateApiKeyBody, 'Its name, scopes and optional expiry') },
  responses: {
    201: jsonContent(CreatedApiKey, 'The key, with its secret'),
    ...errors(401, 409, 413, 415),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await createApiKey(c.get('platform'), c.get('user').id, c.req.valid('json')), 201));
