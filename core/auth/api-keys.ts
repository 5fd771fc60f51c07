import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { perDatabase } from '../db/prepared-batch.ts';
import { keptPerStamp } from '../db/stamp.ts';
import { apiKeys, users } from './tables.ts';

/** Every secret starts with it: recognisable in a config file, a log or a secret scanner's rules. */
export const API_KEY_PREFIX = 'ef_live_';
/** Characters of the secret after the prefix that the key list shows. */
const HINT_LENGTH = 4;

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * SHA-256 of the secret. A slow hash (scrypt) would protect guessable passwords; a key is 256
 * random bits, which no hash speed makes guessable, and it is checked on every request.
 */
export async function hashApiKey(secret: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
}

/** A new secret (prefix + 32 random bytes, base64url), its hash and the hint the list shows. */
export async function newApiKeySecret() {
  const secret = API_KEY_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(32)));
  return { secret, hash: await hashApiKey(secret), hint: secret.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + HINT_LENGTH) };
}

/** Looks like one of our secrets: requireAuth takes the key path for it instead of the JWT one. */
export const isApiKeySecret = (token: string) => token.startsWith(API_KEY_PREFIX);

/** A key as requireAuth needs it, with its owner's display settings. */
export interface FoundKey {
  id: string;
  scopes: readonly string[];
  expiresMs: number | null;
  lastUsedMs: number;
  user: { id: string; currency: string; timeZone: string; language: string; dataVersion: number };
}

// Prepared once per database: one query by the unique hash, the owner joined.
const lookup = perDatabase((db: Database) =>
  db
    .select({
      keyId: apiKeys.id,
      scopes: apiKeys.scopes,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      id: users.id,
      currency: users.currency,
      timeZone: users.timeZone,
      language: users.language,
      dataVersion: users.dataVersion,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.hash, sql.placeholder('hash')))
    .prepare());

const touch = perDatabase((db: Database) =>
  db
    .update(apiKeys)
    .set({ lastUsedAt: sql.placeholder('now') as unknown as string })
    .where(eq(apiKeys.id, sql.placeholder('id')))
    .prepare());

async function read(db: Database, hash: string): Promise<FoundKey | null> {
  const row = await lookup(db).get({ hash });
  if (!row) return null;
  const { keyId, scopes, expiresAt, lastUsedAt, ...user } = row;
  return { id: keyId, scopes, expiresMs: expiresAt === null ? null : Date.parse(expiresAt), lastUsedMs: lastUsedAt === null ? 0 : Date.parse(lastUsedAt), user };
}

// As the sessions in require-auth.ts: kept against the database stamp, so a deletion (a commit,
// which moves the stamp) is seen by the next request; a remote database is read every time.
const known = keptPerStamp<FoundKey | null>(10_000);

async function findApiKey(db: Database, secret: string): Promise<FoundKey | null> {
  const hash = await hashApiKey(secret);
  return known(db, hash, () => read(db, hash));
}

// The rate limit and requireAuth both ask for a request's key: one read per request, also where
// nothing is kept by stamp (a remote database).
const perRequest = new WeakMap<Request, Promise<FoundKey | null>>();

/** The key a request's bearer `secret` names, read once for the request. */
export function apiKeyOf(request: Request, db: Database, secret: string): Promise<FoundKey | null> {
  let found = perRequest.get(request);
  if (!found) {
    found = findApiKey(db, secret);
    perRequest.set(request, found);
  }
  return found;
}

/** "Last used" is kept to the minute: no write per request. */
const USED_EVERY_MS = 60_000;

/** Records the use, at most once a minute per key; a lost update only leaves "last used" stale. */
export async function noteApiKeyUse(db: Database, key: FoundKey, now: number, warn: (message: string, fields: Record<string, unknown>) => void) {
  if (now - key.lastUsedMs < USED_EVERY_MS) return;
  // Kept on the cached entry too, so requests in the same minute do not all write.
  key.lastUsedMs = now;
  await touch(db)
    .run({ id: key.id, now: new Date(now).toISOString() })
    .catch((err) => warn('API key last-used update failed', { error: String(err) }));
}
