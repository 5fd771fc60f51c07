import createClient from 'openapi-fetch';
import type { paths } from './schema.d.ts';

export type { paths, components, operations } from './schema.d.ts';

/**
 * A typed ExpenseFlow client (openapi-fetch over the generated `paths`): every path, body,
 * query and response is checked against openapi.json at compile time.
 */
export function createExpenseFlowClient(baseUrl: string, token?: string) {
  return createClient<paths>({ baseUrl, headers: token ? { authorization: `Bearer ${token}` } : {} });
}
