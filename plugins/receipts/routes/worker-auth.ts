import { createMiddleware } from 'hono/factory';
import { AppError, notFound } from '../../../core/http/errors.ts';
import type { AppEnv } from '../../../core/platform.ts';

/** The OCR worker's security scheme in the OpenAPI document. */
export const ocrWorkerSecurity = [{ ocrWorkerSecret: [] }];

const encoder = new TextEncoder();

/** Compares in time that depends on the lengths only, not on where the first difference is. */
function sameSecret(given: string, expected: string): boolean {
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= (a[i % Math.max(1, a.length)] ?? 0) ^ b[i]!;
  return diff === 0;
}

/**
 * Only the OCR worker, by the shared secret OCR_WORKER_SECRET in `X-OCR-Worker-Secret`. Without
 * a configured secret the internal routes do not exist (404), so no default opens them.
 */
export const requireOcrWorker = createMiddleware<AppEnv>(async (c, next) => {
  const secret = c.get('platform').config.OCR_WORKER_SECRET;
  if (!secret) throw notFound('Route');
  const given = c.req.header('x-ocr-worker-secret');
  if (!given) throw new AppError('NO_TOKEN', 'No OCR worker secret provided');
  if (!sameSecret(given, secret)) throw new AppError('INVALID_TOKEN', 'Invalid OCR worker secret');
  await next();
});
