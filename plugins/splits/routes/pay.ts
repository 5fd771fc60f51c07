import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { paySplit } from '../pay.ts';
import { PayBody, SplitIdParam, SplitPaid } from '../schemas.ts';

const route = createRoute({
  method: 'patch',
  path: '/{id}/pay',
  operationId: 'paySplit',
  tags: ['splits'],
  summary: 'Mark user as paid',
  description:
    'Marks the caller’s own share paid, or, for the split’s payer only, the share of the participant named by `participantId`; records the payment (participant to payer) in the group’s ledger in the same write. Status moves from pending to partial to settled, computed from every payment, so simultaneous payments all count. 404 for someone who neither paid nor has a share in the split; 403 `FORBIDDEN` for a participant naming someone else; 409 `ALREADY_PAID` for a share paid already.',
  security: scoped('splits:write'),
  middleware: requireAuth,
  request: {
    params: SplitIdParam,
    // Optional: the seed's clients send no body to mark their own share.
    body: { required: false, description: 'Whose share; the caller’s own when absent', content: { 'application/json': { schema: PayBody } } },
  },
  responses: {
    200: jsonContent(SplitPaid, 'The split with the share paid'),
    ...errors(401, 403, 404, 409, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) =>
    c.json(
      {
        success: true,
        message: 'Payment marked successfully',
        data: await paySplit(c.get('platform'), c.get('user'), c.req.valid('param').id, c.req.valid('json') ?? {}),
      } as const,
      200,
    ),
  );
