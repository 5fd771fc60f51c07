import { and, count, desc, eq } from 'drizzle-orm';
import { API_KEY_PREFIX, newApiKeySecret } from '../../core/auth/api-keys.ts';
import type { Scope } from '../../core/auth/scopes.ts';
import { apiKeys, type ApiKeyRow } from '../../core/auth/tables.ts';
import { AppError, notFound } from '../../core/http/errors.ts';
import type { Platform } from '../../core/platform.ts';
import { MAX_API_KEYS } from './schemas.ts';

const view = (row: ApiKeyRow) => ({
  _id: row.id,
  name: row.name,
  scopes: row.scopes as Scope[],
  hint: `${API_KEY_PREFIX}${row.hint}…`,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  lastUsedAt: row.lastUsedAt,
});

export async function createApiKey(platform: Platform, userId: string, input: { name: string; scopes: Scope[]; expiresAt?: string | undefined }) {
  const { db, clock, ids } = platform;
  const now = clock.now();
  const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw new AppError('VALIDATION_FAILED', 'Invalid request', [{ path: 'json.expiresAt', message: 'must be in the future' }]);
  }
  const [held] = await db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.userId, userId));
  if ((held?.n ?? 0) >= MAX_API_KEYS) throw new AppError('API_KEY_LIMIT_REACHED', `A user keeps at most ${MAX_API_KEYS} API keys: delete one first`);
  const { secret, hash, hint } = await newApiKeySecret();
  const row = {
    id: ids.next(),
    userId,
    name: input.name,
    hash,
    hint,
    scopes: input.scopes,
    createdAt: now.toISOString(),
    expiresAt: expiresAt?.toISOString() ?? null,
    lastUsedAt: null,
  };
  await db.insert(apiKeys).values(row);
  return { _id: row.id, name: row.name, scopes: input.scopes, expiresAt: row.expiresAt, key: secret };
}

export async function listApiKeys(platform: Platform, userId: string) {
  const rows = await platform.db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id)).limit(MAX_API_KEYS);
  return rows.map(view);
}

/** Deleting the row is the revocation: the next request with the key is 401 on every host (require-auth.ts reads by database stamp). */
export async function deleteApiKey(platform: Platform, userId: string, id: string) {
  const result = await platform.db.delete(apiKeys).where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId))).run();
  if (result.rowsAffected === 0) throw notFound('API key');
}
