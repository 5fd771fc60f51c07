import type { RouteAuth } from '../auth/route-auth.ts';
import { corsOriginHeaderDoc, errorResponse } from './openapi.ts';

type Response = { description?: string; headers?: Record<string, unknown>; content?: unknown };
type Operation = { parameters?: unknown[]; responses?: Record<string, Response> };

// Once in components, referenced from each operation: written out in full on every response,
// they were most of the document.
const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: the first answer (status and body) to a request with this key is kept for 24 hours for this user, and a retry of the same request gets it again with `Idempotent-Replayed: true`. The same key with another request is a 409 `IDEMPOTENCY_KEY_REUSED`; a retry while the first still runs waits for its answer, or after 5 s gets a 409 `IDEMPOTENCY_IN_PROGRESS`. 5xx and 429 answers are not kept.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]+$' },
  example: '5f1c7e0a-3c9e-4a59-9a53-2f2a7f0b8c11',
};

// Keyed by the header names (the OWASP CORS rule reads any `headers` map, this one too).
const headers = {
  ...corsOriginHeaderDoc,
  'Request-Id': {
    description: 'This request’s id (also sent as X-Request-Id, for older clients): error bodies carry it as `requestId`. A client may choose it by sending Request-Id (or X-Request-Id).',
    schema: { type: 'string', maxLength: 255, pattern: '^[\\w\\-=]+$' },
  },
  'Idempotent-Replayed': {
    description: '`true` when this is the kept answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
};

const requestIdHeader = { 'Request-Id': { $ref: '#/components/headers/Request-Id' } };
const replayedHeader = { 'Idempotent-Replayed': { $ref: '#/components/headers/Idempotent-Replayed' } };
const corsHeader = { 'Access-Control-Allow-Origin': { $ref: '#/components/headers/Access-Control-Allow-Origin' } };

/**
 * Writes into the generated document what registration decided (core/auth/route-auth.ts): the
 * 403 an API key can meet, the Idempotency-Key parameter and its 409s on writes; and the
 * Request-Id header on every answer of every /api operation. Run before documentRateLimits, so
 * the answers added here get the rate-limit headers too. Done once, on the generated document,
 * so no route can forget it.
 */
export function documentRouteAuth<D>(generated: D, auth: Map<string, RouteAuth>): D {
  const doc = structuredClone(generated) as {
    paths?: Record<string, Record<string, Operation>>;
    components?: { headers?: Record<string, unknown>; parameters?: Record<string, unknown> };
  };
  doc.components ??= {};
  doc.components.headers = { ...doc.components.headers, ...headers };
  doc.components.parameters = { ...doc.components.parameters, IdempotencyKey: idempotencyKeyParameter };
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    // The answers of /health and the document carry Request-Id too (the API's description says
    // so); here only /api, whose answers also carry the CORS header that documenting one asks for.
    if (!path.startsWith('/api/')) continue;
    for (const [method, operation] of Object.entries(operations)) {
      const responses = (operation.responses ??= {});
      const decided = auth.get(`${method} ${path}`);
      if (decided) {
        const keyRefusal = decided.scope
          ? `an API key without the scope \`${decided.scope}\` (\`MISSING_SCOPE\`)`
          : 'an API key: this operation takes a user’s token only (`API_KEY_NOT_ALLOWED`)';
        const forbidden = responses['403'];
        if (forbidden) forbidden.description = `${forbidden.description}; or ${keyRefusal}`;
        else responses['403'] = { ...errorResponse(403), description: `Refused to ${keyRefusal}` };
        if (decided.idempotent) {
          operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/IdempotencyKey' }];
          const conflict = (responses['409'] ??= errorResponse(409));
          conflict.description = `${conflict.description}; or the Idempotency-Key was used with another request (\`IDEMPOTENCY_KEY_REUSED\`) or its first request still runs (\`IDEMPOTENCY_IN_PROGRESS\`)`;
          for (const [status, response] of Object.entries(responses)) {
            if (/^[24]/.test(status) && status !== '429') response.headers = { ...response.headers, ...replayedHeader };
          }
        }
      }
      for (const response of Object.values(responses)) response.headers = { ...corsHeader, ...response.headers, ...requestIdHeader };
    }
  }
  return doc as D;
}
