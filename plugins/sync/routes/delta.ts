import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { rateLimit } from '../../../core/http/rate-limit.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DEVICE_ID } from '../../../core/schemas.ts';
import { applyDelta } from '../delta.ts';
import { DeltaBody, DeltaResponse, MAX_DELTA_OPERATIONS } from '../schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/delta',
  operationId: 'applySyncDelta',
  tags: ['sync'],
  summary: 'Apply offline edits (creates, updates, deletes) in one batch',
  description: [
    `Up to ${MAX_DELTA_OPERATIONS} operations, applied together or not at all. Each has a client operation id, unique per device (X-Device-Id, required here): a repeated id is applied once and answered as the first time.`,
    'An update or delete names the entity `version` it was based on. A stale version is a conflict, resolved by one rule and reported in the result with the server\'s current state:',
    '**field-level last writer wins by server time** (an update is applied as a patch over the current state: the fields it sets win, the others keep the server\'s values; `merged`), and **a delete wins over an update** (a stale delete deletes anyway, `deleted`; an edit of an entity already gone writes nothing, `discarded`).',
    'At most one operation per entity in a delta. The changes are logged like any write: the other devices get them live, the sending device gets no echo.',
  ].join(' '),
  security: bearerSecurity,
  // Offline expense writes: the same policy as the expenses routes, a delta counting as one write.
  middleware: [requireAuth, rateLimit('expenseWrites')] as const,
  request: {
    headers: z.object({
      'x-device-id': z.string().max(64).regex(DEVICE_ID).openapi({ description: 'This device: operation ids are its own, and it gets no echo of these changes', example: 'phone-7f3a' }),
    }),
    body: jsonBody(DeltaBody, 'The operations, in the order to apply them'),
  },
  responses: {
    200: jsonContent(DeltaResponse, 'One result per operation, in order'),
    ...errors(401, 409, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(
    route,
    async (c) => {
      const deviceId = c.req.valid('header')['x-device-id'];
      const results = await applyDelta(c.get('platform'), c.get('user'), deviceId, c.req.valid('json').operations);
      return c.json({ results } as never, 200);
    },
  );
