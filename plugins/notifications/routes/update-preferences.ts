import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { updatePreferences } from '../preferences.ts';
import { NotificationPreferences, UpdatePreferencesBody } from '../schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/preferences',
  operationId: 'updateNotificationPreferences',
  tags: ['notifications'],
  summary: 'Update notification preferences',
  description:
    'Partial: settings not sent stay as they are. A `push.subscription` is also stored as one of the user’s push subscriptions (as POST /push/subscribe does); null removes it. Enabling push without any subscription is 400.',
  security: scoped('notifications:write'),
  middleware: requireAuth,
  request: { body: jsonBody(UpdatePreferencesBody, 'The settings to change') },
  responses: {
    200: jsonContent(NotificationPreferences, 'All the preferences after the change'),
    ...errors(401, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await updatePreferences(c.get('platform'), c.get('user').id, c.req.valid('json')), 200));
