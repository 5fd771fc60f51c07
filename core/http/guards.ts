import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from './errors.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The longest URL an /api request may have. Node refuses longer request lines itself (431) and
 * Cloudflare's edge at 16 KB; Deno.serve takes any length. One bound on every host keeps what
 * the app echoes back (the `Link` header repeats the query) as bounded as its document says.
 */
export const MAX_URL_LENGTH = 16 * 1024;

export function checkUrlLength(c: Context): void {
  if (c.req.url.length > MAX_URL_LENGTH) throw new AppError('URI_TOO_LONG', `The URL is longer than ${MAX_URL_LENGTH} characters`);
}

export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError('PAYLOAD_TOO_LARGE', 'Request body is larger than 1 MB');
  },
});

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(;|$)/i;
const multipartType = /^multipart\/form-data\s*(;|$)/i;

// RFC 8058: a mail client unsubscribes by POSTing `List-Unsubscribe=One-Click`, form-encoded, to
// the URL of the List-Unsubscribe header. The one form body the API takes (its handler reads none of it).
const ONE_CLICK_UNSUBSCRIBE = '/api/notifications/unsubscribe';
const formType = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * A body must say it is JSON (or multipart, for uploads): anything else is 415 before a
 * validator could mistake it for an empty body.
 */
export function checkBodyType(c: Context): void {
  const { method } = c.req;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const length = c.req.header('content-length');
    const hasBody = length !== undefined ? length !== '0' : c.req.header('transfer-encoding') !== undefined;
    const type = c.req.header('content-type') ?? '';
    if (hasBody && !jsonType.test(type) && !multipartType.test(type) && !(formType.test(type) && c.req.path === ONE_CLICK_UNSUBSCRIBE)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    }
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const invalidEncoding = (message: string) =>
  new AppError('INVALID_ENCODING', 'Request body is not valid UTF-8 JSON text', [{ path: 'body', message }]);

/**
 * What in `value` (keys included) text cannot hold as sent: a lone UTF-16 surrogate, or U+0000,
 * which the database keeps but the driver reads back cut short at it (a name "a\u0000b" read
 * back as "a": tests/security). Null when there is none.
 * A walk with its own stack: JSON.parse takes nesting far deeper than the call stack goes, and
 * a recursive walk over `[[[…]]]` 100,000 deep was a RangeError, a 500 (tests/security).
 */
function unstorableText(value: unknown): string | null {
  const check = (s: string) => (!s.isWellFormed() ? 'escapes a lone UTF-16 surrogate' : s.includes('\0') ? 'escapes U+0000 (NUL), which text cannot hold' : null);
  const pending: unknown[] = [value];
  while (pending.length) {
    const next = pending.pop();
    if (typeof next === 'string') {
      const problem = check(next);
      if (problem) return problem;
    } else if (Array.isArray(next)) {
      for (const item of next) pending.push(item);
    } else if (next !== null && typeof next === 'object') {
      for (const [k, v] of Object.entries(next)) {
        const problem = check(k);
        if (problem) return problem;
        pending.push(v);
      }
    }
  }
  return null;
}

/**
 * A JSON body must be valid UTF-8 and must not escape a lone surrogate (`"\ud800"`): a lenient
 * decoder would store U+FFFD in place of what the user sent. Nor U+0000 (`"\u0000"`), which
 * would be read back cut short. The checked text is handed to the
 * validators through Hono's body cache, so the body is read and decoded once.
 */
export async function readUtf8Json(c: Context): Promise<void> {
  // Judged by method and header, not by `c.req.raw.body`: asking a Node request for its body
  // stream makes @hono/node-server build a whole Fetch Request.
  const { method } = c.req;
  if (method !== 'GET' && method !== 'HEAD' && jsonType.test(c.req.header('content-type') ?? '')) {
    let text: string;
    try {
      text = strictUtf8.decode(await c.req.arrayBuffer());
    } catch (err) {
      // The body limit's own error passes through; only a decoding failure is ours.
      if (err instanceof AppError) throw err;
      throw invalidEncoding('contains bytes that are not UTF-8');
    }
    // Only an escape can smuggle a surrogate or a NUL past the decoder (JSON refuses a raw
    // control character); most bodies have none.
    if (text.includes('\\u')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined; // malformed JSON: the validator answers that
      }
      const problem = unstorableText(parsed);
      if (problem) throw invalidEncoding(problem);
    }
    // Hono keeps promises in its body cache, whatever its type says.
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
  }
}
