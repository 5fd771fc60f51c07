import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { bearerSecurity, errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DeviceIdParameter } from '../../../core/schemas.ts';
import { Me, UpdateMeBody } from '../schemas.ts';
import { updateMe } from '../service.ts';

const route = createRoute({
  method: 'patch',
  path: '/me',
  operationId: 'updateCurrentUser',
  tags: ['auth'],
  summary: "Change the user's name and settings",
  description: 'Display currency, IANA time zone and language. Amounts are shown in the new currency from the next read on.',
  security: bearerSecurity,
  middleware: requireAuth,
  parameters: [DeviceIdParameter],
  request: { body: jsonBody(UpdateMeBody, 'Only the fields to change') },
  responses: {
    200: jsonContent(Me, 'The updated user'),
    ...errors(401, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await updateMe(c.get('platform'), c.get('user').id, c.req.valid('json'), c.get('deviceId')), 200));
