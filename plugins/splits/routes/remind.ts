import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { remind } from '../remind.ts';
import { ReminderSent, RemindParams } from '../schemas.ts';

const route = createRoute({
  method: 'post',
  path: '/{id}/remind/{participantId}',
  operationId: 'remindSplitParticipant',
  tags: ['splits'],
  summary: 'Send payment reminder',
  description:
    'The split’s payer reminds a participant of their unpaid share: an in-app notification (and an email when the participant’s preferences take it). At most one reminder per participant and split every 24 hours: 429 `REMINDER_TOO_SOON` with `Retry-After` (seconds left) otherwise. 404 for someone who neither paid nor has a share in the split, or a participantId not in it; 403 `FORBIDDEN` for a participant who is not the payer; 409 `ALREADY_PAID` when the share is paid.',
  security: scoped('splits:write'),
  middleware: requireAuth,
  request: { params: RemindParams },
  responses: {
    200: jsonContent(ReminderSent, 'The reminder went out'),
    ...errors(401, 403, 404, 409, 429),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { id, participantId } = c.req.valid('param');
    return c.json({ success: true, message: 'Reminder sent', data: await remind(c.get('platform'), c.get('user'), id, participantId) } as const, 200);
  });
