import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors, jsonContent } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { Deleted, DeviceIdParameter } from '../../../core/schemas.ts';
import { BudgetIdParam } from '../schemas.ts';
import { deleteBudget } from '../service.ts';

const route = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteBudget',
  tags: ['budgets'],
  summary: 'Delete a budget',
  security: scoped('budgets:write'),
  middleware: requireAuth,
  parameters: [DeviceIdParameter],
  request: { params: BudgetIdParam },
  responses: {
    200: jsonContent(Deleted, 'The budget is deleted'),
    ...errors(401, 404),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    await deleteBudget(c.get('platform'), { ...c.get('user'), deviceId: c.get('deviceId') }, c.req.valid('param').id);
    return c.json({ success: true, message: 'Budget deleted' } as const, 200);
  });
