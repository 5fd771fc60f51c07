import type { OpenAPIHono } from '@hono/zod-openapi';
import { defaultPolicies, policyVariable, type PolicyName } from '../rate-limit/policies.ts';
import { corsOriginHeaderDoc, errorResponse } from './openapi.ts';

export const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'] as const;

const int = (minimum: number, maximum: number) => ({ type: 'integer' as const, format: 'int32' as const, minimum, maximum });

/** The RateLimit-* fields (IETF draft "RateLimit header fields for HTTP"), as each limited answer carries them. */
const headerDocs = {
  'RateLimit-Limit': {
    description: 'Requests allowed in the sliding window of the tightest rate limit that applies to this request (absent with RATE_LIMITS=off)',
    schema: int(1, 999_999_999),
  },
  'RateLimit-Remaining': { description: 'Requests left in that window', schema: int(0, 999_999_999) },
  'RateLimit-Reset': {
    description: 'Seconds until that window ends; on a 429, until a request is allowed again (as Retry-After)',
    schema: int(1, 172_800),
  },
};


const policyText: Record<PolicyName, string> = {
  general: 'every request',
  auth: 'failed attempts (a success gives its count back)',
  expenseWrites: 'expense writes',
  uploads: 'uploads',
};

const describe = (name: PolicyName) => {
  const [max, window] = defaultPolicies[name].split('/');
  return `${policyText[name]}: ${max} per ${window} by default (\`${policyVariable[name]}\`)`;
};

/** A route's own policy, read from the rateLimit() middleware in its definition. */
type Marked = { rateLimitPolicy?: PolicyName };

/**
 * Records each route's own policies, keyed `method path` as in the document, as a plugin's
 * router registers them (@hono/zod-openapi keeps no middleware in its registry).
 */
export function notePolicies(router: OpenAPIHono<any>, prefix: string, into: Map<string, PolicyName[]>) {
  const openapi = router.openapi;
  router.openapi = ((route: { method: string; path: string; middleware?: unknown }, ...rest: unknown[]) => {
    const names = ([route.middleware ?? []].flat() as Marked[]).flatMap((m) => (m.rateLimitPolicy ? [m.rateLimitPolicy] : []));
    if (names.length > 0) into.set(`${route.method} ${route.path === '/' ? prefix : prefix + route.path}`, names);
    return (openapi as (...args: unknown[]) => unknown)(route, ...rest);
  }) as typeof router.openapi;
}

/**
 * Every /api operation is rate limited (the general policy, and some a policy of their own):
 * the document says so on each, with a 429 and the RateLimit-* headers of its 2xx and 4xx
 * answers (OWASP API4:2023). Done on the generated document, once, so no route can forget it.
 */
export function documentRateLimits<D>(generated: D, policies: Map<string, PolicyName[]>): D {
  const doc = structuredClone(generated) as {
    paths?: Record<string, Record<string, { description?: string; responses?: Record<string, { description?: string; headers?: Record<string, unknown> }> }>>;
  };
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      const own = policies.get(`${method} ${path}`) ?? [];
      const limits = (['general', ...own] as PolicyName[]).map(describe).join('; ');
      const responses = (operation.responses ??= {});
      const tooMany = errorResponse(429);
      responses['429'] ??= { ...tooMany, description: `${tooMany.description}. Rate limits here: ${limits}` };
      for (const [status, response] of Object.entries(responses)) {
        if (!/^[24]/.test(status)) continue;
        // Headers named, the CORS one must be too (owasp:api8:2023-define-cors-origin).
        response.headers = { ...corsOriginHeaderDoc, ...response.headers, ...headerDocs };
      }
    }
  }
  return doc as D;
}
