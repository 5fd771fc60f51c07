import { errorResponse } from './openapi.ts';

type Doc = { paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>> };

/**
 * The platform's body guards (core/app.ts) answer before any route: a body over the limit is
 * 413 on every /api request that may carry one, and a body that is not JSON is 415 on POST, PUT
 * and PATCH, whether or not the route reads a body. The document says so for every such route
 * (tests/security found them missing from the routes that take no body).
 */
export function documentBodyGuards<D>(generated: D): D {
  const doc = generated as Doc;
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      if (method === 'get' || method === 'head') continue;
      const responses = (operation.responses ??= {});
      responses['413'] ??= errorResponse(413);
      if (method !== 'delete') responses['415'] ??= errorResponse(415);
    }
  }
  return generated;
}
