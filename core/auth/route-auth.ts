import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { answerHoldsSecret, idempotency } from '../idempotency/middleware.ts';
import { authenticate, requireAuth } from './require-auth.ts';
import { declaredScope, type Scope } from './scopes.ts';

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/** What registration decided for each authenticated operation, keyed `method path` as in the document. */
export interface RouteAuth {
  scope: Scope | undefined;
  idempotent: boolean;
}

// One middleware per scope, shared by the routes that need it.
const byScope = new Map<Scope | undefined, MiddlewareHandler>([[undefined, requireAuth]]);
const authFor = (scope: Scope | undefined) => {
  let made = byScope.get(scope);
  if (!made) byScope.set(scope, (made = authenticate(scope)));
  return made;
};

/**
 * As a plugin registers its routes: a route whose middleware names requireAuth gets the
 * authentication its `security` declares (`scoped(scope)`: user tokens and API keys with that
 * scope; plain bearer security: user tokens only), and, if it writes, the Idempotency-Key
 * middleware right after it (before the route's own rate limit, so a replay costs none of it).
 * One declaration, read here for the enforcement and by the document for what it shows.
 */
export function applyRouteAuth(router: OpenAPIHono<any>, prefix: string, into: Map<string, RouteAuth>) {
  const openapi = router.openapi;
  router.openapi = ((route: { method: string; path: string; middleware?: unknown; security?: Record<string, string[]>[] }, ...rest: unknown[]) => {
    const scope = declaredScope(route.security);
    const named = [route.middleware ?? []].flat() as MiddlewareHandler[];
    const middleware = named.filter((m) => m !== answerHoldsSecret);
    const at = middleware.indexOf(requireAuth);
    const key = `${route.method} ${route.path === '/' ? prefix : prefix + route.path}`;
    if (at === -1) {
      // An API key scope on a route that authenticates no one would be a promise not kept.
      if (scope) throw new Error(`${key} declares the scope ${scope} but has no requireAuth`);
      return (openapi as (...args: unknown[]) => unknown)(route, ...rest);
    }
    const idempotent = WRITES.has(route.method) && middleware.length === named.length;
    into.set(key, { scope, idempotent });
    const replaced = [...middleware.slice(0, at), authFor(scope), ...(idempotent ? [idempotency] : []), ...middleware.slice(at + 1)];
    return (openapi as (...args: unknown[]) => unknown)({ ...route, middleware: replaced }, ...rest);
  }) as typeof router.openapi;
}
