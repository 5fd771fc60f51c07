import { createRoute, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { requireAuth, type AuthEnv } from '../../../core/auth/require-auth.ts';
import { errors } from '../../../core/http/openapi.ts';
import { scoped } from '../../../core/auth/scopes.ts';
import { linkHeaderDoc } from '../../../core/http/paging.ts';
import { rawJson } from '../../../core/http/raw-json.ts';
import type { PluginApp } from '../../../core/plugin.ts';
import { ExpenseList, ListExpensesQuery } from '../schemas.ts';
import type { Page } from '../page-cache.ts';
import { keptListPage, listExpenses } from '../service.ts';

const send = (c: Context<AuthEnv>, { json, link }: Page) => {
  if (link) c.get('platform').setHeaders(c, [['Link', link]]);
  // Already serialised by SQLite in the documented shape (service.ts): sent as it is.
  return rawJson<z.infer<typeof ExpenseList>>(c, json, 200);
};

// A page kept for this very URL is answered before the query validator runs: the query string
// was valid when the page was built (the page's key holds it), and a client polling its list
// then costs no parse. Any other URL goes on to be validated and built.
const answerKept = createMiddleware<AuthEnv>(async (c, next) => {
  const kept = await keptListPage(c.get('platform'), c.get('user'), c.req.url);
  if (kept) return send(c, kept);
  await next();
});

const route = createRoute({
  method: 'get',
  path: '/',
  operationId: 'listExpenses',
  tags: ['expenses'],
  summary: 'Get all expenses for authenticated user',
  description: 'Newest first, a page at a time; the `Link` header points at the next page.',
  security: scoped('expenses:read'),
  middleware: [requireAuth, answerKept] as const,
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
  app.openapi(route, async (c) => send(c, await listExpenses(c.get('platform'), c.get('user'), c.req.valid('query'), c.req.url)));
