import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { getPreferences } from '../preferences.ts';
import { NotificationPreferences } from '../schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/preferences',
  operationId: 'getNotificationPreferences',
  tags: ['notifications'],
  summary: 'Get notification preferences',
  description:
    'Until changed: email for budget_alert, goal_achieved, security_alert, welcome and weekly_summary; push off (on with a subscription), for budget_alert, goal_achieved, goal_milestone, split_reminder and security_alert.',
  security: scoped('notifications:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(NotificationPreferences, 'The channels besides in-app, which is always on'),
    ...errors(401),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await getPreferences(c.get('platform'), c.get('user').id), 200));
