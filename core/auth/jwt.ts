import { SignJWT, jwtVerify, errors } from 'jose';
import { AppError } from '../http/errors.ts';

const ISSUER = 'expenseflow';
const AUDIENCE = 'expenseflow-api';
const ALGORITHM = 'HS256';

// Importing the HMAC key costs a third of a verification: import it once per secret.
const keys = new Map<string, Promise<CryptoKey>>();
const keyOf = (secret: string) => {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
};

/** What a verified token says: its user, and the session it belongs to. */
export interface VerifiedToken {
  sub: string;
  /** The session (core/auth/tables.ts `session`); a token without one is refused by requireAuth. */
  sid: string | undefined;
  exp: number;
}

export async function signToken(userId: string, secret: string, expiresIn: string, sessionId?: string): Promise<string> {
  return new SignJWT(sessionId === undefined ? {} : { sid: sessionId })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(await keyOf(secret));
}

/**
 * Tokens already verified, with their subject and expiry: a client sends the same token with
 * every request, and a verification is the dearest step of authenticating one. Bounded, oldest
 * out first; an entry is only trusted until the token's own `exp`.
 */
const verified = new Map<string, VerifiedToken & { secret: string }>();
const VERIFIED_MAX = 10_000;

/** The claims of a token verified before and not expired since, without a promise: the common case. */
export function verifiedBefore(token: string, secret: string): VerifiedToken | undefined {
  const hit = verified.get(token);
  return hit && hit.secret === secret && hit.exp * 1000 > Date.now() ? hit : undefined;
}

/**
 * Returns the claims of a valid token; anything else is a 401 AppError. A signature says
 * nothing about revocation: the caller checks the session (requireAuth does, on every request).
 */
export async function verifyToken(token: string, secret: string): Promise<VerifiedToken> {
  const hit = verifiedBefore(token, secret);
  if (hit) return hit;
  try {
    // The algorithm is pinned: a token that names another one ("none", RS256) is refused.
    const { payload } = await jwtVerify(token, await keyOf(secret), {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp'],
    });
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    const claims = { sub: payload.sub!, sid: typeof payload.sid === 'string' ? payload.sid : undefined, exp: payload.exp!, secret };
    verified.set(token, claims);
    return claims;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new AppError('TOKEN_EXPIRED', 'Token expired');
    throw new AppError('INVALID_TOKEN', 'Invalid token');
  }
}

/**
 * The second step of a login with two-factor on: a short-lived token that says the password
 * was right, for `POST /api/auth/2fa/verify` only. Its audience differs from the API's, so it
 * is no bearer token.
 */
const CHALLENGE_AUDIENCE = 'expenseflow-2fa';
export const CHALLENGE_TTL_SECONDS = 300;

// Both on the platform clock (`now`), as the TOTP codes they go with.
export async function signChallenge(userId: string, secret: string, now: Date): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(CHALLENGE_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + CHALLENGE_TTL_SECONDS)
    .sign(await keyOf(secret));
}

/** The user id of a valid challenge; anything else (expired included) is 401 INVALID_CHALLENGE. */
export async function verifyChallenge(challenge: string, secret: string, now: Date): Promise<string> {
  try {
    const { payload } = await jwtVerify(challenge, await keyOf(secret), {
      currentDate: now,
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: CHALLENGE_AUDIENCE,
      requiredClaims: ['sub', 'exp'],
    });
    return payload.sub!;
  } catch {
    throw new AppError('INVALID_CHALLENGE', 'The sign-in challenge is invalid or has expired; log in again');
  }
}
