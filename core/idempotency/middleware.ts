import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AuthUser } from '../auth/require-auth.ts';
import { AppError } from '../http/errors.ts';
import { isMultipart } from '../http/upload.ts';
import type { AppEnv } from '../platform.ts';
import { idempotencyKeys } from './tables.ts';

/** RFC draft "The Idempotency-Key HTTP Header Field": at most 255 printable ASCII characters here. */
export const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,255}$/;
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a request with a key in use waits for the first one's answer before a 409. */
const WAIT_MS = 5_000;
const POLL_MS = 20;
/**
 * A claim still `running` after this long belongs to a process that died mid-request (no
 * request runs this long: bodies arrive within REQUEST_TIMEOUT_MS): the next retry takes it over.
 */
const ABANDONED_MS = 5 * 60_000;

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * What a retry must repeat: the method, the path with its query and the body. An upload's body
 * is not read here (that would hold up to RECEIPT_MAX_BYTES in memory before the route counts
 * it): its declared type and length stand for it.
 */
async function fingerprint(c: Context): Promise<string> {
  const url = new URL(c.req.url);
  const head = new TextEncoder().encode(`${c.req.method} ${url.pathname}${url.search}\n`);
  const body = isMultipart(c)
    ? new TextEncoder().encode(`${c.req.header('content-type')}\n${c.req.header('content-length') ?? ''}`)
    : new Uint8Array(await c.req.arrayBuffer());
  const all = new Uint8Array(head.length + body.length);
  all.set(head);
  all.set(body, head.length);
  return hex(await crypto.subtle.digest('SHA-256', all));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const where = (userId: string, key: string) => and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));

type Env = AppEnv & { Variables: { user: AuthUser } };

/**
 * Idempotency-Key on a write: the first request with a key runs and its answer (status and body)
 * is kept for 24 hours per user and key; a retry with the same request gets that answer again,
 * with `Idempotent-Replayed: true`; the same key with another request is a 409. Requests that
 * arrive while the first runs wait for its answer (up to 5 s, then 409 IDEMPOTENCY_IN_PROGRESS):
 * the claim is one `INSERT … ON CONFLICT DO NOTHING`, so the operation runs once, on every host.
 * Answers that a retry should not get again are not kept: 5xx (a fault; nothing was done, or the
 * client cannot tell) and 429 (not run at all). Without the header this costs nothing.
 */
export const idempotency = createMiddleware<Env>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return next();
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new AppError('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
  }
  const { db, clock } = c.get('platform');
  const userId = c.get('user').id;
  const requestHash = await fingerprint(c);
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    const now = clock.now();
    const claim = await db
      .insert(idempotencyKeys)
      .values({ userId, key, requestHash, state: 'running', createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString() })
      .onConflictDoNothing()
      .run();
    if (claim.rowsAffected === 1) break;
    const row = await db.select().from(idempotencyKeys).where(where(userId, key)).get();
    // Gone in between (its first request failed, or it expired and was pruned): claim again.
    if (!row) continue;
    if (Date.parse(row.expiresAt) <= now.getTime()) {
      await db.delete(idempotencyKeys).where(and(where(userId, key), eq(idempotencyKeys.expiresAt, row.expiresAt)));
      continue;
    }
    if (row.requestHash !== requestHash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with another request: use a new key for a new request');
    }
    if (row.state === 'done') {
      c.header('Idempotent-Replayed', 'true');
      return c.body(row.body ?? '', row.status as 200, row.contentType ? { 'Content-Type': row.contentType } : {});
    }
    if (now.getTime() - Date.parse(row.createdAt) >= ABANDONED_MS) {
      const taken = await db
        .update(idempotencyKeys)
        .set({ createdAt: now.toISOString() })
        .where(and(where(userId, key), eq(idempotencyKeys.state, 'running'), eq(idempotencyKeys.createdAt, row.createdAt)))
        .run();
      if (taken.rowsAffected === 1) break;
      continue;
    }
    if (performance.now() >= deadline) {
      throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still running: retry shortly', undefined, { 'Retry-After': '1' });
    }
    await sleep(POLL_MS);
  }
  // This request holds the claim. Errors thrown further on arrive here as answers (Hono's onError).
  try {
    await next();
  } catch (err) {
    await db.delete(idempotencyKeys).where(where(userId, key));
    throw err;
  }
  const res = c.res;
  if (res.status >= 500 || res.status === 429) {
    await db.delete(idempotencyKeys).where(where(userId, key));
    return;
  }
  await db
    .update(idempotencyKeys)
    .set({ state: 'done', status: res.status, contentType: res.headers.get('content-type'), body: await res.clone().text() })
    .where(where(userId, key));
});

/**
 * Named after requireAuth in a route's middleware when its answer carries a secret (a new API
 * key, a TOTP secret, backup codes, a sync ticket): such an answer is never kept in the database,
 * so the route takes no Idempotency-Key (core/auth/route-auth.ts leaves both out; the header is
 * ignored there, and the document does not offer it).
 */
export const answerHoldsSecret = createMiddleware<AppEnv>((_c, next) => next());
