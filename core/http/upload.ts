import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../platform.ts';
import { AppError } from './errors.ts';

const multipartType = /^multipart\/form-data\s*(;|$)/i;

export const isMultipart = (c: Context) => multipartType.test(c.req.header('content-type') ?? '');

const tooLarge = (maxBytes: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `The upload is larger than ${Math.floor(maxBytes / 1024)} KiB (${maxBytes} bytes)`);

/** Refuses a body whose declared length is over `maxBytes`, unread. */
export function refuseDeclaredOver(c: Context, maxBytes: number) {
  const length = c.req.header('content-length');
  if (length !== undefined && Number(length) > maxBytes) throw tooLarge(maxBytes);
}

/**
 * Reads a multipart upload of at most `maxBytes` (the route's own limit: the /api guards keep
 * JSON bodies to 1 MB and leave multipart ones to the route that takes them). The bytes are
 * counted as they arrive and the body is abandoned at the first byte past the limit: a larger
 * upload is refused while it streams in, never held whole. The parsed form goes into Hono's
 * body cache, where the route's `form` validator finds it.
 */
export const readUpload = (maxBytes: (c: Context<AppEnv>) => number) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const max = maxBytes(c);
    if (!isMultipart(c)) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be multipart/form-data');
    refuseDeclaredOver(c, max);
    const body = c.req.raw.body;
    if (!body) throw new AppError('VALIDATION_FAILED', 'The upload is empty', [{ path: 'form', message: 'no body' }]);
    let size = 0;
    let over = false;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          if (size > max) {
            over = true;
            // Erroring the transform cancels the request body: nothing more is read.
            controller.error(tooLarge(max));
            return;
          }
          controller.enqueue(chunk);
        },
      }),
    );
    let form: FormData;
    try {
      form = await new Response(counted, { headers: { 'content-type': c.req.header('content-type')! } }).formData();
    } catch {
      if (over) throw tooLarge(max);
      throw new AppError('VALIDATION_FAILED', 'The multipart body is malformed', [{ path: 'form', message: 'is not a multipart/form-data body with its boundary' }]);
    }
    // Hono keeps promises in its body cache, whatever its type says.
    (c.req.bodyCache as { formData?: Promise<FormData> }).formData = Promise.resolve(form);
    await next();
  });
