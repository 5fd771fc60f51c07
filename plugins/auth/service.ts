import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../../core/auth/password.ts';
import { sessions, users, type UserRow } from '../../core/auth/tables.ts';
import type { Database } from '../../core/db/client.ts';
import { isUniqueViolation } from '../../core/db/errors.ts';
import { perDatabase } from '../../core/db/prepared-batch.ts';
import { AppError } from '../../core/http/errors.ts';
import type { Platform } from '../../core/platform.ts';
import { signChallenge, CHALLENGE_TTL_SECONDS, verifyChallenge } from '../../core/auth/jwt.ts';
import { openSession, type ClientInfo } from './sessions.ts';
import { checkLoginCode, isEnabled } from './two-factor.ts';

const emailTaken = () => new AppError('EMAIL_TAKEN', 'An account with this email already exists');

/**
 * Opens the session and records the sign-in; a sign-in from a device the user never signed in
 * with before (core/security/port.ts) is announced once it has committed. The register is the
 * account's first sign-in: never "new".
 */
async function issue(platform: Platform, user: Pick<UserRow, 'id' | 'name' | 'email'>, client: ClientInfo, first = false) {
  const { token, sessionId } = await openSession(platform, user.id, client);
  const signIn = { userId: user.id, sessionId, deviceName: client.deviceName, ip: client.ip, userAgent: client.userAgent };
  const { newDevice, at } = await platform.security.signedIn(signIn, first);
  if (newDevice) await platform.events.emit('security.new_device', { ...signIn, at });
  return { token, user: { id: user.id, name: user.name, email: user.email } };
}

export async function register(platform: Platform, input: { name: string; email: string; password: string }, client: ClientInfo) {
  const { db, clock, ids, config } = platform;
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) throw emailTaken();
  const now = clock.now().toISOString();
  const user = {
    id: ids.next(),
    name: input.name,
    email: input.email,
    passwordHash: await hashPassword(input.password, config.PASSWORD_HASH_COST),
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.insert(users).values(user);
  } catch (err) {
    // Two sign-ups with one email at once: the unique index decides.
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
  // Pending group invitations to this email, say, become memberships.
  await platform.events.emit('user.registered', { userId: user.id, email: user.email, name: user.name });
  return issue(platform, user, client, true);
}

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'Invalid email or password');

/**
 * An address with too many failed sign-ins across accounts is refused for a while (429): this
 * says nothing about any account, so it may answer differently from a wrong password.
 */
async function refuseBlockedAddress(platform: Platform, ip: string | null) {
  if (ip === null) return;
  const wait = await platform.security.addressRefusedFor(ip);
  if (wait > 0) {
    throw new AppError('TOO_MANY_FAILED_LOGINS', 'Too many failed sign-ins from this address; try again later', undefined, { 'Retry-After': String(wait) });
  }
}

export async function login(platform: Platform, input: { email: string; password: string }, client: ClientInfo) {
  const { db, security, config } = platform;
  const cost = config.PASSWORD_HASH_COST;
  await refuseBlockedAddress(platform, client.ip);
  const [user] = await db.select().from(users).where(eq(users.email, input.email));
  // An unknown email costs one hash too, and a locked account is checked as well: an unknown
  // email, a wrong password and a locked account all read the same, and take about as long.
  const stored = user?.passwordHash ?? (await dummyHash(cost));
  const [ok, locked] = await Promise.all([verifyPassword(input.password, stored), user ? security.accountLocked(user.id) : false]);
  if (!user || !ok || locked) {
    const reason = !user ? 'unknown_email' : locked ? 'locked' : 'password';
    await security.loginFailed({ userId: user?.id ?? null, reason, ip: client.ip, userAgent: client.userAgent });
    throw invalidCredentials();
  }
  if (needsRehash(user.passwordHash, cost)) {
    await db.update(users).set({ passwordHash: await hashPassword(input.password, cost) }).where(eq(users.id, user.id));
  }
  // With two-factor on, the password earns a challenge, not a token.
  if (await isEnabled(platform, user.id)) {
    return { twoFactorRequired: true as const, challenge: await signChallenge(user.id, platform.config.JWT_SECRET, platform.clock.now()), expiresIn: CHALLENGE_TTL_SECONDS };
  }
  return issue(platform, user, client);
}

/** The login's second step: the challenge and a TOTP or backup code give the token. A wrong code counts towards the lock. */
export async function verifyLoginCode(platform: Platform, input: { challenge: string; code: string }, client: ClientInfo) {
  const { security } = platform;
  await refuseBlockedAddress(platform, client.ip);
  const userId = await verifyChallenge(input.challenge, platform.config.JWT_SECRET, platform.clock.now());
  const [user] = await platform.db.select().from(users).where(eq(users.id, userId));
  // Locked since the password step: no code is tried (a code is spent when it matches).
  const locked = await security.accountLocked(userId);
  if (!user || locked || !(await checkLoginCode(platform, userId, input.code))) {
    await security.loginFailed({ userId, reason: locked ? 'locked' : 'code', ip: client.ip, userAgent: client.userAgent });
    throw new AppError('INVALID_CODE', 'The code does not match');
  }
  return issue(platform, user, client);
}

/**
 * Changes the password after checking the current one, and signs out every other session in
 * the same batch: whoever else held a token of the account is out at their next request.
 */
export async function changePassword(platform: Platform, user: { id: string; sessionId: string }, input: { currentPassword: string; newPassword: string }) {
  const { db, clock, config } = platform;
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
  if (!row) throw new AppError('INVALID_TOKEN', 'Invalid token');
  if (!(await verifyPassword(input.currentPassword, row.passwordHash))) {
    throw new AppError('WRONG_PASSWORD', 'The current password is not correct');
  }
  const now = clock.now().toISOString();
  const [, revoked] = await db.batch([
    db.update(users).set({ passwordHash: await hashPassword(input.newPassword, config.PASSWORD_HASH_COST), updatedAt: now }).where(eq(users.id, user.id)),
    db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, user.id), ne(sessions.id, user.sessionId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id }),
  ]);
  return { success: true as const, message: 'Password changed; every other session is signed out', revokedSessions: revoked.length };
}

function toMe(user: Pick<UserRow, 'id' | 'name' | 'email' | 'currency' | 'timeZone' | 'language' | 'createdAt'>) {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    settings: { currency: user.currency, timeZone: user.timeZone, language: user.language },
    createdAt: user.createdAt,
  };
}

// Prepared once per database: every client asks for it when it starts. Building the select of
// the whole row anew was most of a request's CPU (drizzle's query builder, measured).
const meOf = perDatabase((db: Database) =>
  db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      currency: users.currency,
      timeZone: users.timeZone,
      language: users.language,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare());

export async function getMe(platform: Platform, userId: string) {
  const user = await meOf(platform.db).get({ id: userId });
  if (!user) throw new AppError('INVALID_TOKEN', 'Invalid token');
  return toMe(user);
}

export async function updateMe(
  platform: Platform,
  userId: string,
  input: { name?: string; settings?: { currency?: string; timeZone?: string; language?: string } },
  deviceId: string | null = null,
) {
  const { db } = platform;
  const now = platform.clock.now().toISOString();
  const [updated] = await db.batch([
    db
      .update(users)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...input.settings,
        settingsVersion: sql`${users.settingsVersion} + 1`,
        updatedAt: now,
      })
      .where(eq(users.id, userId))
      .returning(),
    // The settings are a synced entity: the user's other devices get them.
    ...platform.changes.record(db, {
      userId,
      entity: 'settings',
      entityId: userId,
      op: 'UPDATE',
      version: sql`${users.settingsVersion}`,
      data: sql`json_object('name', ${users.name}, 'currency', ${users.currency}, 'timeZone', ${users.timeZone}, 'language', ${users.language}, 'version', ${users.settingsVersion})`,
      deviceId,
      at: now,
    }),
  ]);
  const [user] = updated;
  if (!user) throw new AppError('INVALID_TOKEN', 'Invalid token');
  await platform.changes.committed(userId);
  return toMe(user);
}
