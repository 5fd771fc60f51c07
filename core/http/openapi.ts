import { z } from '@hono/zod-openapi';
import { errorCatalogue, MAX_ERROR_DETAILS, type ErrorCode } from './errors.ts';

// Messages are the server's own sentences (at most a category name or currency code quoted in
// them); paths are field names of the route's schemas. Both bounds leave ample room.
export const ErrorResponse = z
  .object({
    success: z.literal(false),
    error: z.string().max(500).openapi({ example: 'Invalid request' }),
    code: z.enum(Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]]),
    details: z
      .array(z.object({ path: z.string().max(200), message: z.string().max(500) }))
      .max(MAX_ERROR_DETAILS)
      .optional()
      .openapi({ description: 'One entry per invalid field' }),
    // Hono's request-id middleware keeps a client's X-Request-Id only up to 255 characters.
    requestId: z.string().max(255).optional().openapi({ description: 'Quote it when reporting a problem' }),
  })
  .openapi('Error');

/** Every /api answer carries it for the allowed origin; said wherever an answer lists headers. */
export const corsOriginHeaderDoc = {
  'Access-Control-Allow-Origin': {
    description: 'FRONTEND_URL, when the request came from that origin',
    schema: { type: 'string' as const, format: 'uri' as const, maxLength: 2048 },
  },
};

type HeaderDoc = { description: string; schema: { type: 'integer'; format: 'int32'; minimum: number; maximum: number } | { type: 'string'; format: 'uri'; maxLength: number } };

const described = (description: string, headers?: Record<string, HeaderDoc>) => ({
  description,
  ...(headers && { headers }),
  content: { 'application/json': { schema: ErrorResponse } },
});

const errorResponses = {
  400: described('The request is malformed or a field is invalid'),
  401: described('No token, an invalid token or an expired one'),
  403: described('The user may see the resource but not do this (e.g. a group member who is not an admin)'),
  404: described('No such resource for this user'),
  409: described('The request conflicts with the current state'),
  410: described('What the request points at is no longer kept (e.g. an events cursor older than the feed keeps: `CURSOR_EXPIRED`)'),
  413: described('The body is larger than 1 MB'),
  414: described('The URL is longer than 16 KiB'),
  415: described('The body is not application/json'),
  429: described('Too many requests (`RATE_LIMITED`), too many failed sign-ins from the address (`TOO_MANY_FAILED_LOGINS`), or an action limited in time (`REMINDER_TOO_SOON`); `Retry-After` says when it is allowed again', {
    'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 172_800 } },
    ...corsOriginHeaderDoc,
  }),
  500: described('Internal error; the body carries the request id'),
  503: described(
    'The server cannot serve this now: its storage is full (`STORAGE_FULL`), the database is busy (`DATABASE_BUSY`) or unreachable (`DATABASE_UNAVAILABLE`), the server is stopping (`SHUTTING_DOWN`), or a dependency has not loaded yet; `Retry-After` says when to retry',
    {
      'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400 } },
      ...corsOriginHeaderDoc,
    },
  ),
} as const;

type ErrorStatus = keyof typeof errorResponses;

/** One error response as it appears in the generated document (the schema as its reference). */
export function errorResponse(status: ErrorStatus) {
  const { content: _content, ...rest } = errorResponses[status];
  return { ...rest, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

/**
 * The error responses a route documents. Every route gets 400, 414, 500 and 503 (a URL too
 * long or a database fault can meet any request); callers add what else the route can answer (401 for
 * authenticated routes, 404, 409, …).
 */
export function errors<const S extends ErrorStatus = never>(...statuses: S[]) {
  const out = {} as Pick<typeof errorResponses, S | 400 | 414 | 500 | 503>;
  for (const s of [400, 414, 500, 503, ...statuses] as ErrorStatus[]) {
    (out as Record<number, unknown>)[s] = errorResponses[s];
  }
  return out;
}

export const jsonBody = <T extends z.ZodType>(schema: T, description: string) => ({
  required: true,
  description,
  content: { 'application/json': { schema } },
});

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const bearerSecurity = [{ bearerAuth: [] }];
