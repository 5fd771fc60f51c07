import { createMiddleware } from 'hono/factory';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../platform.ts';
import { AppError } from './errors.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError('PAYLOAD_TOO_LARGE', 'Request body is larger than 1 MB');
  },
});

const accepted = /^(application\/(?:[\w.+-]+\+)?json|multipart\/form-data)\s*(;|$)/i;

/**
 * A body must say it is JSON (or multipart, for uploads): anything else is 415 before a
 * validator could mistake it for an empty body.
 */
export const requireKnownBodyType = createMiddleware<AppEnv>(async (c, next) => {
  const { method } = c.req;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const length = c.req.header('content-length');
    const hasBody = length !== undefined ? length !== '0' : c.req.header('transfer-encoding') !== undefined;
    if (hasBody && !accepted.test(c.req.header('content-type') ?? '')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    }
  }
  await next();
});
