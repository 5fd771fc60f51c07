import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonBody, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { DeviceIdParameter } from '../../../core/schemas.ts';
import { Budget, BudgetIdParam, UpdateBudgetBody } from '../schemas.ts';
import { updateBudget } from '../service.ts';

const route = createRoute({
  method: 'put',
  path: '/{id}',
  operationId: 'updateBudget',
  tags: ['budgets'],
  summary: 'Update a budget',
  description: 'Any subset of the create fields; `null` clears category (every category) or endDate (not for custom). Lowering the amount or threshold announces a crossing it causes.',
  security: scoped('budgets:write'),
  middleware: requireAuth,
  parameters: [DeviceIdParameter],
  request: { params: BudgetIdParam, body: jsonBody(UpdateBudgetBody, 'The fields to change') },
  responses: {
    200: jsonContent(Budget, 'The updated budget'),
    ...errors(401, 404, 413, 415),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => c.json(await updateBudget(c.get('platform'), { ...c.get('user'), deviceId: c.get('deviceId') }, c.req.valid('param').id, c.req.valid('json')), 200));
