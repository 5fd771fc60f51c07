import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { loadRatesInBackground } from '../load-on-demand.ts';
import { SupportedCurrencies } from '../schemas.ts';
import { supported } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/supported',
  operationId: 'listSupportedCurrencies',
  tags: ['currency'],
  summary: 'Currencies with exchange rates',
  description: 'Every currency a rate is held for on the newest day, with its ISO 4217 name and decimals.',
  security: scoped('expenses:read'),
  middleware: requireAuth,
  responses: {
    200: jsonContent(SupportedCurrencies, 'The currencies'),
    ...errors(401, 503),
  },
});

export default (app: PluginApp) => app.openapi(route, async (c) => c.json(await supported(c.get('platform'), () => loadRatesInBackground(c)), 200));
