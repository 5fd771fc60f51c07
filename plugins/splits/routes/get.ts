import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { SplitIdParam, SplitOne } from '../schemas.ts';
import { loadVisible, splitView } from '../view.ts';

const route = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getSplit',
  tags: ['splits'],
  summary: 'Get one split',
  description: 'For its payer and its participants; anyone else gets 404, as for a split that does not exist.',
  security: scoped('splits:read'),
  middleware: requireAuth,
  request: { params: SplitIdParam },
  responses: {
    200: jsonContent(SplitOne, 'The split with its shares'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) =>
    c.json({ success: true, data: splitView(await loadVisible(c.get('platform'), c.req.valid('param').id, c.get('user').id)) } as const, 200),
  );
