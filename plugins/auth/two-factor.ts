/**
 * Optional TOTP two-factor (RFC 6238: SHA-1, 6 digits, 30 s, as every authenticator app reads
 * it) with otpauth, on the platform clock, so tests run it on a clock of their own.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { users } from '../../core/auth/tables.ts';
import { verifyPassword } from '../../core/auth/password.ts';
import { AppError } from '../../core/http/errors.ts';
import type { Platform } from '../../core/platform.ts';
import { backupCodes, twoFactor } from './tables.ts';

const ISSUER = 'ExpenseFlow';
export const BACKUP_CODES = 10;
const PERIOD = 30;

const totpOf = (secret: string, label = 'account') =>
  new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });

const sha256 = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))), (b) => b.toString(16).padStart(2, '0')).join('');

/** Backup codes are typed by people: case, spaces and dashes do not matter. */
const normalise = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
function newBackupCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  const chars = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

async function rowOf(platform: Platform, userId: string) {
  const [row] = await platform.db.select().from(twoFactor).where(eq(twoFactor.userId, userId));
  return row;
}

export async function isEnabled(platform: Platform, userId: string): Promise<boolean> {
  return (await rowOf(platform, userId))?.secret != null;
}

/** Starts (or restarts) a setup: a new secret, not in force until a code from it is verified. */
export async function setup(platform: Platform, userId: string) {
  const row = await rowOf(platform, userId);
  if (row?.secret) throw new AppError('TWO_FACTOR_ENABLED', 'Two-factor authentication is already on; disable it first');
  const [user] = await platform.db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  const secret = new Secret({ size: 20 }).base32;
  await platform.db
    .insert(twoFactor)
    .values({ userId, pendingSecret: secret })
    .onConflictDoUpdate({ target: twoFactor.userId, set: { pendingSecret: secret } });
  return { secret, otpauthUri: totpOf(secret, user?.email).toString() };
}

/** The step a code matches (the current one or one either side, for clock drift), or null. */
function matchingStep(platform: Platform, secret: string, code: string): number | null {
  const timestamp = platform.clock.now().getTime();
  const totp = totpOf(secret);
  const delta = totp.validate({ token: code, timestamp, window: 1 });
  return delta === null ? null : totp.counter({ timestamp }) + delta;
}

/** A code from the pending secret turns two-factor on and yields the ten backup codes, shown once. */
export async function verifySetup(platform: Platform, userId: string, code: string) {
  const row = await rowOf(platform, userId);
  if (row?.secret) throw new AppError('TWO_FACTOR_ENABLED', 'Two-factor authentication is already on');
  if (!row?.pendingSecret) throw new AppError('TWO_FACTOR_NOT_SET_UP', 'Start with POST /api/auth/2fa/setup');
  const step = matchingStep(platform, row.pendingSecret, code);
  if (step === null) throw new AppError('WRONG_CODE', 'The code does not match; check the device clock and try the current code');
  const codes = Array.from({ length: BACKUP_CODES }, newBackupCode);
  const hashes = await Promise.all(codes.map((c) => sha256(normalise(c))));
  const { db } = platform;
  await db.batch([
    db
      .update(twoFactor)
      .set({ secret: row.pendingSecret, pendingSecret: null, enabledAt: platform.clock.now().toISOString(), lastStep: step })
      .where(eq(twoFactor.userId, userId)),
    db.delete(backupCodes).where(eq(backupCodes.userId, userId)),
    db.insert(backupCodes).values(hashes.map((codeHash) => ({ userId, codeHash }))),
  ]);
  return { success: true as const, enabled: true as const, backupCodes: codes };
}

/**
 * Checks a code of an enabled user: a TOTP code newer than the last one accepted, or an unused
 * backup code (then spent). The check and the spending are one conditional write each, so
 * two requests with the same code cannot both pass.
 */
async function consumeCode(platform: Platform, userId: string, code: string): Promise<boolean> {
  const row = await rowOf(platform, userId);
  if (!row?.secret) return false;
  const { db } = platform;
  if (/^\d{6}$/.test(code)) {
    const step = matchingStep(platform, row.secret, code);
    if (step === null) return false;
    const done = await db
      .update(twoFactor)
      .set({ lastStep: step })
      .where(and(eq(twoFactor.userId, userId), sql`${twoFactor.lastStep} < ${step}`))
      .returning({ userId: twoFactor.userId });
    return done.length === 1;
  }
  const spent = await db
    .update(backupCodes)
    .set({ usedAt: platform.clock.now().toISOString() })
    .where(and(eq(backupCodes.userId, userId), eq(backupCodes.codeHash, await sha256(normalise(code))), isNull(backupCodes.usedAt)))
    .returning({ userId: backupCodes.userId });
  return spent.length === 1;
}

/** The login's second step: true when the code is good (and now spent). */
export const checkLoginCode = consumeCode;

/** Turns two-factor off: needs the password and a code (TOTP or backup). */
export async function disable(platform: Platform, userId: string, input: { password: string; code: string }) {
  const row = await rowOf(platform, userId);
  if (!row?.secret) throw new AppError('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is off');
  const [user] = await platform.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(input.password, user.passwordHash))) throw new AppError('WRONG_PASSWORD', 'The password is not correct');
  if (!(await consumeCode(platform, userId, input.code))) throw new AppError('WRONG_CODE', 'The code does not match');
  const { db } = platform;
  await db.batch([db.delete(twoFactor).where(eq(twoFactor.userId, userId)), db.delete(backupCodes).where(eq(backupCodes.userId, userId))]);
  return { success: true as const, enabled: false as const };
}

export async function status(platform: Platform, userId: string) {
  const row = await rowOf(platform, userId);
  if (!row?.secret) return { enabled: false, enabledAt: null, backupCodesLeft: 0 };
  const [left] = await platform.db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(backupCodes)
    .where(and(eq(backupCodes.userId, userId), isNull(backupCodes.usedAt)));
  return { enabled: true, enabledAt: row.enabledAt, backupCodesLeft: left?.n ?? 0 };
}
