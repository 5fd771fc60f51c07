import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { loadRatesInBackground } from '../load-on-demand.ts';
import { Conversion, ConvertBody } from '../schemas.ts';
import { convert } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/convert',
  operationId: 'convertCurrency',
  tags: ['currency'],
  summary: 'Convert amount between currencies',
  description: 'At the newest rate, or at the newest on or before `date`. The result is rounded to the target currency.',
  security: scoped('expenses:read'),
  middleware: requireAuth,
  request: { body: jsonBody(ConvertBody, 'Amount and the two currencies') },
  responses: {
    200: jsonContent(Conversion, 'The converted amount and the rate used'),
    ...errors(401, 413, 415, 503),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await convert(c.get('platform'), c.req.valid('json'), () => loadRatesInBackground(c)), 200));
