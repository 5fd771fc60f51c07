import { createRoute, type z } from '@hono/zod-openapi';
import { requireAuth } from '../../../core/auth/require-auth.ts';
import { errors } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { linkHeaderDoc } from '../../../core/http/paging.ts';
import { rawJson } from '../../../core/http/raw-json.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ExpenseList, ListExpensesQuery } from '../schemas.ts';
import { listExpenses } from '../service.ts';

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listExpenses',
  tags: ['expenses'],
  summary: 'Get all expenses for authenticated user',
  description: 'Newest first, a page at a time; the `Link` header points at the next page.',
  security: scoped('expenses:read'),
  middleware: requireAuth,
  request: { query: ListExpensesQuery },
  responses: {
    200: {
      description: 'A page of expenses, amounts also shown in the display currency',
      headers: linkHeaderDoc,
      content: { 'application/json': { schema: ExpenseList } },
    },
    ...errors(401),
  },
});

export default (app: PluginApp) =>
  app.openapi(route, async (c) => {
    const { json, link } = await listExpenses(c.get('platform'), c.get('user'), c.req.valid('query'), c.req.url);
    if (link) c.get('platform').setHeaders(c, [['Link', link]]);
    // Already serialised by SQLite in the documented shape (service.ts): sent as it is.
    return rawJson<z.infer<typeof ExpenseList>>(c, json, 200);
  });
