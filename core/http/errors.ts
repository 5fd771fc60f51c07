import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one catalogue of machine codes a client can see, with the HTTP status each maps to.
 * Plugins throw `AppError` with one of these; `onError` turns it into the error shape.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: 400,
  INVALID_CURSOR: 400,
  UNKNOWN_CURRENCY: 400,
  UNKNOWN_CATEGORY: 400,
  INVALID_ENCODING: 400,
  MALFORMED_BODY: 400,
  INVALID_DEVICE_ID: 400,
  INVALID_TICKET: 401,
  INVALID_UNSUBSCRIBE_TOKEN: 400,
  WEBSOCKET_REQUIRED: 400,
  REALTIME_UNAVAILABLE: 503,
  NO_TOKEN: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  /** A two-factor login challenge that is not ours or is over (5 minutes). */
  INVALID_CHALLENGE: 401,
  /** Logging in: a TOTP or backup code that does not match (or was used already). */
  INVALID_CODE: 401,
  /** The token's session was signed out (logout, DELETE /api/auth/sessions/{id}, a password change). */
  SESSION_REVOKED: 401,
  /** A bearer secret with the API key prefix that is no key (never was, or deleted). */
  INVALID_API_KEY: 401,
  API_KEY_EXPIRED: 401,
  /** An API key on a route its scopes do not cover; `details` names the scope it needs. */
  MISSING_SCOPE: 403,
  /** An API key on account management (auth, sessions, two-factor, the keys themselves): a user's token only. */
  API_KEY_NOT_ALLOWED: 403,
  FORBIDDEN: 403,
  /** change-password: the current password given is not the account's. */
  WRONG_PASSWORD: 403,
  /** Setting two-factor up or off: the code given does not match. */
  WRONG_CODE: 403,
  NOT_FOUND: 404,
  /** No VAPID keys in the configuration: the server sends no Web Push. */
  PUSH_NOT_CONFIGURED: 404,
  EMAIL_TAKEN: 409,
  CATEGORY_EXISTS: 409,
  CATEGORY_IN_USE: 409,
  CATEGORY_LIMIT_REACHED: 409,
  ALREADY_MEMBER: 409,
  ALREADY_INVITED: 409,
  LAST_ADMIN: 409,
  GROUP_FULL: 409,
  ALREADY_SPLIT: 409,
  ALREADY_PAID: 409,
  TWO_FACTOR_ENABLED: 409,
  TWO_FACTOR_NOT_ENABLED: 409,
  /** verify-setup before setup. */
  TWO_FACTOR_NOT_SET_UP: 409,
  SYNC_CONTENDED: 409,
  /** The user has as many API keys as allowed: delete one first. */
  API_KEY_LIMIT_REACHED: 409,
  /** An Idempotency-Key used before with another request (method, path or body). */
  IDEMPOTENCY_KEY_REUSED: 409,
  /** The first request with this Idempotency-Key is still running; Retry-After says when to ask again. */
  IDEMPOTENCY_IN_PROGRESS: 409,
  /** An Idempotency-Key that is empty, longer than 255 characters or not printable ASCII. */
  INVALID_IDEMPOTENCY_KEY: 400,
  RECEIPT_LINKED: 409,
  /** An events cursor older than what the feed keeps (30 days): start again from after=0. */
  CURSOR_EXPIRED: 410,
  /** A webhook URL that resolves to a private, loopback or link-local address (or does not resolve). */
  WEBHOOK_URL_REFUSED: 400,
  /** A user has at most 20 webhooks. */
  WEBHOOK_LIMIT_REACHED: 409,
  /** Two secret rotations of one webhook at once: the later one is refused, to be tried again. */
  WEBHOOK_CHANGED: 409,
  /** A receipt's amount is neither read nor given: the expense needs one. */
  AMOUNT_REQUIRED: 400,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** With Retry-After: the seconds until it is allowed again. */
  REMINDER_TOO_SOON: 429,
  /** A rate limit (core/http/rate-limit.ts), with Retry-After and the RateLimit-* headers. */
  RATE_LIMITED: 429,
  /** Login from an address with too many failed sign-ins across accounts (LOCKOUT_ADDRESS), with Retry-After. */
  TOO_MANY_FAILED_LOGINS: 429,
  INTERNAL: 500,
  RATES_UNAVAILABLE: 503,
  STORAGE_FULL: 503,
  DATABASE_BUSY: 503,
  DATABASE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorCatalogue;

/**
 * The most `details` an error carries. No route's input can yield more today (the longest list
 * is one entry per currency in a 400-character `symbols`, 200); the validation hook keeps to it.
 */
export const MAX_ERROR_DETAILS = 200;

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly details: ErrorDetail[] | undefined;
  /** Response headers that belong with this error, e.g. Retry-After on a 503. */
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetail[], headers?: Record<string, string>) {
    // An AppError is an answer, not a fault: no stack is ever shown or logged, and capturing
    // one was a tenth of an unauthenticated 404's time (CPU profile of the app in process).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalogue[code];
    this.details = details;
    this.headers = headers;
  }
}

/** The body of every 4xx/5xx answer (API.md "Errors"). */
export interface ErrorBody {
  success: false;
  error: string;
  code: ErrorCode;
  details?: ErrorDetail[];
  requestId?: string;
}

export function errorBody(err: AppError, requestId?: string): ErrorBody {
  return {
    success: false,
    error: err.message,
    code: err.code,
    ...(err.details ? { details: err.details } : {}),
    ...(requestId ? { requestId } : {}),
  };
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
