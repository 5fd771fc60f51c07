import type { Context, TypedResponse } from 'hono';

/**
 * Sends JSON text that the database already serialised in the documented shape. The cast is
 * the point: the text is typed as the route's JSON body `T`, which the route tests check.
 */
export function rawJson<T>(c: Context, json: string | Uint8Array<ArrayBuffer>, status: 200) {
  return c.body(json, status, { 'content-type': 'application/json' }) as unknown as Response & TypedResponse<T, 200, 'json'>;
}
