import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Instant, Integer, QueryInteger } from '../../../core/schemas.ts';

const OutboxMessage = z
  .object({
    id: z.string().max(64),
    type: z.string().max(40).openapi({ example: 'budget_alert' }),
    subject: z.string().max(400),
    text: z.string().max(10_000).openapi({ description: 'The text part, as sent' }),
    html: z.string().max(40_000).openapi({ description: 'The HTML part, as sent' }),
    status: z.enum(['pending', 'sending', 'sent', 'logged', 'failed', 'cancelled']).openapi({
      description: '`logged`: handled without Postmark (only logged); `cancelled`: its type was turned off before it went out',
    }),
    attempts: Integer(0, 1000),
    failure: z.enum(['inactive_recipient', 'invalid_address', 'gave_up']).nullable(),
    providerMessageId: z.string().max(100).nullable().openapi({ description: 'Postmark’s MessageID once it took the message' }),
    createdAt: Instant,
    sentAt: Instant.nullable(),
  })
  .openapi('OutboxMessage');

const route = createRoute({
  method: 'get',
  path: '/outbox',
  operationId: 'listDevOutbox',
  tags: ['dev'],
  summary: 'The caller’s own emails in the outbox',
  description: 'Newest first. Outside production only: with NODE_ENV=production this path does not exist.',
  security: bearerSecurity,
  middleware: requireAuth,
  request: { query: z.object({ limit: QueryInteger(1, 200).default(50).openapi({ param: { name: 'limit', in: 'query' } }) }) },
  responses: {
    200: jsonContent(z.array(OutboxMessage).max(200).openapi('OutboxMessageList'), 'The emails, with their HTML and text parts'),
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const messages = await c.get('platform').services.outbox.messagesOf(c.get('user').id, c.req.valid('query').limit);
    return c.json(messages as z.infer<typeof OutboxMessage>[], 200);
  });
