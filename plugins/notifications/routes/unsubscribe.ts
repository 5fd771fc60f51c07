import { createRoute } from '@hono/zod-openapi';
import { AppError } from '../../../core/http/errors.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { TYPE_NAMES } from '../email.ts';
import { unsubscribeEmail } from '../preferences.ts';
import { UnsubscribeQuery, Unsubscribed } from '../schemas.ts';
import { readUnsubscribeCode } from '../unsubscribe.ts';

const route = createRoute({
  method: 'post',
  path: '/unsubscribe',
  operationId: 'unsubscribeEmail',
  tags: ['notifications'],
  summary: 'Turn one email type off, from the link in an email',
  description:
    'No login: the signed code names the user and the type. The target of the `List-Unsubscribe` header (RFC 8058 one-click: the body `List-Unsubscribe=One-Click`, form-encoded, is accepted and not needed) and of the page at GET. Doing it twice is the same as once.',
  security: [],
  request: { query: UnsubscribeQuery },
  responses: {
    200: jsonContent(Unsubscribed, 'That type is no longer sent by email'),
    ...errors(415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const platform = c.get('platform');
    const named = await readUnsubscribeCode(platform.config, c.req.valid('query').code);
    if (!named) throw new AppError('INVALID_UNSUBSCRIBE_TOKEN', 'This unsubscribe link is not valid');
    await unsubscribeEmail(platform, named.userId, named.type);
    return c.json({ success: true, type: named.type, message: `You will get no more emails about ${TYPE_NAMES[named.type]}.` } as const, 200);
  });
