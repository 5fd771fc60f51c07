import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DeviceIdParameter } from '../../../core/schemas.ts';
import { Budget, CreateBudgetBody } from '../schemas.ts';
import { createBudget } from '../service.ts';

const route = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createBudget',
  tags: ['budgets'],
  summary: 'Create a new budget',
  description: 'A budget created over what is already spent announces the thresholds it has crossed.',
  security: scoped('budgets:write'),
  middleware: requireAuth,
  parameters: [DeviceIdParameter],
  request: { body: jsonBody(CreateBudgetBody, 'The budget; unknown fields are ignored') },
  responses: {
    201: jsonContent(Budget, 'The stored budget with its current period'),
    ...errors(401, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await createBudget(c.get('platform'), { ...c.get('user'), deviceId: c.get('deviceId') }, c.req.valid('json')), 201));
