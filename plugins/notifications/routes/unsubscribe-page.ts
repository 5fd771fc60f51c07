import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../../core/http/errors.ts';
import { errors } from '../../../core/http/openapi.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { escapeHtml, TYPE_NAMES } from '../email.ts';
import { UnsubscribeQuery } from '../schemas.ts';
import { readUnsubscribeCode } from '../unsubscribe.ts';

const route = createRoute({
  method: 'get',
  path: '/unsubscribe',
  operationId: 'unsubscribePage',
  tags: ['notifications'],
  summary: 'The page an email’s unsubscribe link opens',
  description:
    'A page with one button that POSTs to the same URL. Opening the link changes nothing: mail scanners and link previews fetch links, and must not unsubscribe anyone.',
  security: [],
  request: { query: UnsubscribeQuery },
  responses: {
    200: { description: 'The confirmation page', content: { 'text/html': { schema: z.string().max(4000) } } },
    ...errors(),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { code } = c.req.valid('query');
    const named = await readUnsubscribeCode(c.get('platform').config, code);
    if (!named) throw new AppError('INVALID_UNSUBSCRIBE_TOKEN', 'This unsubscribe link is not valid');
    const what = escapeHtml(TYPE_NAMES[named.type]);
    return c.html(
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title></head>
<body>
<h1>Stop emails about ${what}?</h1>
<form method="post" action="?code=${escapeHtml(encodeURIComponent(code))}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Stop emails about ${what}</button>
</form>
<p>You can turn them on again in your notification preferences.</p>
</body></html>`,
      200,
    );
  });
