import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { loadRatesInBackground } from '../load-on-demand.ts';
import { Rates, RatesQuery } from '../schemas.ts';
import { rates } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/rates',
  operationId: 'getExchangeRates',
  tags: ['currency'],
  summary: 'Get current exchange rates',
  description: "The newest ECB reference rates, re-based on `base`. 503 until the first rates are loaded.",
  security: scoped('expenses:read'),
  middleware: requireAuth,
  request: { query: RatesQuery },
  responses: {
    200: jsonContent(Rates, 'Units of each currency for one unit of `base`'),
    ...errors(401, 503),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { base, symbols } = c.req.valid('query');
    return c.json(await rates(c.get('platform'), base, symbols, () => loadRatesInBackground(c)), 200);
  });
