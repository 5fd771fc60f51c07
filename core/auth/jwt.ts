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

export async function signToken(userId: string, secret: string, expiresIn: string): Promise<string> {
  return new SignJWT({})
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
const verified = new Map<string, { sub: string; exp: number; secret: string }>();
const VERIFIED_MAX = 10_000;

/** Returns the user id of a valid token; anything else is a 401 AppError. */
export async function verifyToken(token: string, secret: string): Promise<string> {
  const hit = verified.get(token);
  if (hit && hit.secret === secret && hit.exp * 1000 > Date.now()) return hit.sub;
  try {
    // The algorithm is pinned: a token that names another one ("none", RS256) is refused.
    const { payload } = await jwtVerify(token, await keyOf(secret), {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp'],
    });
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, { sub: payload.sub!, exp: payload.exp!, secret });
    return payload.sub!;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new AppError('TOKEN_EXPIRED', 'Token expired');
    throw new AppError('INVALID_TOKEN', 'Invalid token');
  }
}
