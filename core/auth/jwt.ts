import { SignJWT, jwtVerify, errors } from 'jose';
import { AppError } from '../http/errors.ts';

const ISSUER = 'expenseflow';
const AUDIENCE = 'expenseflow-api';
const ALGORITHM = 'HS256';

const keyOf = (secret: string) => new TextEncoder().encode(secret);

export async function signToken(userId: string, secret: string, expiresIn: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(keyOf(secret));
}

/** Returns the user id of a valid token; anything else is a 401 AppError. */
export async function verifyToken(token: string, secret: string): Promise<string> {
  try {
    // The algorithm is pinned: a token that names another one ("none", RS256) is refused.
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp'],
    });
    return payload.sub!;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new AppError('TOKEN_EXPIRED', 'Token expired');
    throw new AppError('INVALID_TOKEN', 'Invalid token');
  }
}
