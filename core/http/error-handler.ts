import type { Hook } from '@hono/zod-openapi';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { databaseFault, retryAfter, type DatabaseFault } from '../db/faults.ts';
import { errorFields } from '../logger.ts';
import type { AppEnv } from '../platform.ts';
import { AppError, errorBody, MAX_ERROR_DETAILS, type ErrorCode } from './errors.ts';

/** One hook formats every validation failure of every route. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Invalid request',
      result.error.issues
        .slice(0, MAX_ERROR_DETAILS)
        .map((i) => ({ path: [result.target, ...i.path].join('.'), message: i.message })),
    );
  }
};

// Hono's own exceptions (malformed JSON, body limit, …) carry safe, fixed messages.
const httpCodes: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'INVALID_TOKEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * A refusal worth a security event: a 400 (input refused) or a rate limit's 429. Recorded off
 * the answer's path; an ordinary answer records nothing. (Tokens: core/auth/require-auth.ts;
 * failed sign-ins: the auth plugin.)
 */
function noteRefusal(c: Context<AppEnv>, err: AppError) {
  const type = err.status === 400 ? 'input_refused' : err.code === 'RATE_LIMITED' ? 'rate_limited' : undefined;
  const platform = c.get('platform');
  if (!type || !platform) return;
  platform.security.note(c, {
    type,
    userId: (c.get('user' as never) as { id: string } | undefined)?.id ?? null,
    ip: platform.clientAddress(c) ?? null,
    userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null,
    detail: `${err.code} ${c.req.method} ${c.req.path}`.slice(0, 300),
  });
}

function respond(c: Context<AppEnv>, err: AppError) {
  noteRefusal(c, err);
  for (const [name, value] of Object.entries(err.headers ?? {})) c.header(name, value);
  return c.json(errorBody(err, c.get('requestId')), err.status);
}

const faultMessages: Record<DatabaseFault, string> = {
  STORAGE_FULL: 'The server is out of storage space; nothing was saved. Try again later',
  DATABASE_BUSY: 'The database is busy; nothing was saved. Try again shortly',
  DATABASE_UNAVAILABLE: 'The database cannot be reached; try again shortly',
};

export const errorHandler: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof AppError) return respond(c, err);
  const fault = databaseFault(err);
  if (fault) {
    c.get('platform')?.faults.seen(fault, err);
    return respond(c, new AppError(fault, faultMessages[fault], undefined, { 'Retry-After': String(retryAfter[fault]) }));
  }
  const code = err instanceof HTTPException ? httpCodes[err.status] : undefined;
  if (err instanceof HTTPException && code) {
    return respond(c, new AppError(code, err.status === 413 ? 'Request body is larger than 1 MB' : err.message));
  }
  // Anything else is our fault: the log gets the stack, the client only the request id.
  (c.get('logger') ?? c.get('platform')?.logger)?.error('unhandled error', {
    method: c.req.method,
    path: c.req.path,
    ...errorFields(err),
  });
  return respond(c, new AppError('INTERNAL', 'internal error'));
};

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) => respond(c, new AppError('NOT_FOUND', 'Route not found'));

/** A write that went through ends a storage or lock fault at once, not 30 s later (called after a write's answer). */
export function noteRecovery(c: Context<AppEnv>): void {
  if (c.res.status < 300) c.get('platform').faults.recovered();
}
