import { z } from '@hono/zod-openapi';
import { CurrencyCode, Instant, Integer, QueryInteger } from '../../core/schemas.ts';
import { MAX_LISTED_SESSIONS } from './sessions.ts';

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }))
  .openapi({ example: 'john@example.com', description: 'Compared trimmed and lower-cased' });

// OWASP: at least 8 characters, allow at least 64; the upper bound keeps hashing cheap to ask for.
const Password = z.string().min(8).max(128).openapi({ example: 'password123' });

const Name = z.string().trim().min(1).max(100).openapi({ example: 'John Doe' });

const TimeZone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Europe/Paris')
  .openapi({ example: 'Europe/Paris' });

const Language = z
  .string()
  .max(35)
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'must be a BCP 47 language tag such as en or pt-BR')
  .openapi({ example: 'en' });

const DeviceName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .optional()
  .openapi({ example: 'Work laptop', description: "What the session list calls this sign-in; by default taken from the User-Agent (e.g. 'Firefox on Linux')" });

export const RegisterBody = z.object({ name: Name, email: Email, password: Password, deviceName: DeviceName }).openapi('RegisterRequest');
export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(128), deviceName: DeviceName }).openapi('LoginRequest');

export const ChangePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(128), newPassword: Password })
  .openapi('ChangePasswordRequest');

export const PasswordChanged = z
  .object({
    success: z.literal(true),
    message: z.string().max(200),
    revokedSessions: Integer(0, 1_000_000).openapi({ description: 'Other sessions signed out' }),
  })
  .openapi('PasswordChanged');

const SessionId = z.string().max(64).openapi({ example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' });

export const SessionIdParam = z.object({ id: SessionId.openapi({ param: { name: 'id', in: 'path' } }) });

export const Session = z
  .object({
    id: SessionId,
    deviceName: z.string().max(100),
    ip: z.string().max(64).nullable().openapi({ description: 'The client address at sign-in, as the server saw it' }),
    userAgent: z.string().max(512).nullable(),
    createdAt: Instant,
    lastSeenAt: Instant.openapi({ description: 'To the minute' }),
    current: z.boolean().openapi({ description: 'The session of the token that asked' }),
  })
  .openapi('Session');

export const SessionList = z
  .object({
    success: z.literal(true),
    count: Integer(0, MAX_LISTED_SESSIONS),
    data: z.array(Session).max(MAX_LISTED_SESSIONS),
  })
  .openapi('SessionList');

export const Done = z.object({ success: z.literal(true), message: z.string().max(200) }).openapi('AuthDone');

const UserId = z.string().max(64).openapi({ example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f' });

export const AuthResult = z
  .object({
    // Header, five short claims and an HS256 signature: about 230 characters.
    token: z.string().max(1024).openapi({ description: 'Bearer JWT (HS256)' }),
    user: z.object({
      id: UserId,
      name: z.string().max(100),
      email: z.string().max(254),
    }),
  })
  .openapi('AuthResult');

export const Settings = z
  .object({
    currency: CurrencyCode.openapi({ description: 'Display currency of every amount' }),
    timeZone: TimeZone,
    language: Language,
  })
  .openapi('UserSettings');

export const Me = z
  .object({
    id: UserId,
    name: z.string().max(100),
    email: z.string().max(254),
    settings: Settings,
    createdAt: Instant,
  })
  .openapi('CurrentUser');

export const UpdateMeBody = z
  .object({ name: Name.optional(), settings: Settings.partial().optional() })
  .refine((b) => b.name !== undefined || (b.settings && Object.keys(b.settings).length > 0), 'nothing to change')
  .openapi('UpdateCurrentUserRequest', { minProperties: 1 });

const Code = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z -]{6,20}$/, 'must be a 6-digit code or a backup code')
  .max(20)
  .openapi({ example: '123456', description: 'The 6-digit code of the authenticator app, or one of the backup codes' });

export const TwoFactorChallenge = z
  .object({
    twoFactorRequired: z.literal(true),
    challenge: z.string().max(1024).openapi({ description: 'For POST /api/auth/2fa/verify, with a code' }),
    expiresIn: Integer(1, 3600).openapi({ description: 'Seconds the challenge is good for' }),
  })
  .openapi('TwoFactorChallenge');

export const TwoFactorSetup = z
  .object({
    secret: z.string().max(64).openapi({ description: 'Base32, for typing into an authenticator app' }),
    otpauthUri: z.string().max(512).openapi({ description: 'The same as an otpauth:// URI (for a QR code)', example: 'otpauth://totp/ExpenseFlow:john%40example.com?issuer=ExpenseFlow&secret=…&algorithm=SHA1&digits=6&period=30' }),
  })
  .openapi('TwoFactorSetup');

export const CodeBody = z.object({ code: Code }).openapi('TwoFactorCodeRequest');
export const VerifyLoginBody = z
  .object({ challenge: z.string().min(1).max(1024), code: Code, deviceName: DeviceName })
  .openapi('TwoFactorVerifyRequest');
export const DisableTwoFactorBody = z.object({ password: z.string().min(1).max(128), code: Code }).openapi('TwoFactorDisableRequest');

export const TwoFactorEnabled = z
  .object({
    success: z.literal(true),
    enabled: z.literal(true),
    backupCodes: z.array(z.string().max(20)).max(10).openapi({ description: 'Ten one-time codes, shown this once: each signs in instead of a TOTP code' }),
  })
  .openapi('TwoFactorEnabled');

export const TwoFactorDisabled = z.object({ success: z.literal(true), enabled: z.literal(false) }).openapi('TwoFactorDisabled');

export const TwoFactorStatus = z
  .object({
    enabled: z.boolean(),
    enabledAt: Instant.nullable(),
    backupCodesLeft: Integer(0, 10),
  })
  .openapi('TwoFactorStatus');

export const MAX_SECURITY_ITEMS = 100;

export const SecurityQuery = z.object({
  limit: QueryInteger(1, MAX_SECURITY_ITEMS).default(20).openapi({ description: `How many sign-ins and failures each, the latest; at most ${MAX_SECURITY_ITEMS}` }),
});

export const SignInRecord = z
  .object({
    at: Instant,
    sessionId: SessionId.nullable(),
    deviceName: z.string().max(100).nullable(),
    ip: z.string().max(64).nullable(),
    userAgent: z.string().max(512).nullable(),
    newDevice: z.boolean().openapi({ description: 'The first sign-in with this device name and user agent (the security.new_device notification)' }),
  })
  .openapi('SignIn');

export const SecurityFailure = z
  .object({
    at: Instant,
    type: z.enum(['login_failed', 'account_locked', 'token_refused']).openapi({
      description: '`login_failed`: a wrong password or second-factor code, or an attempt while locked; `account_locked`: the failures reached the lockout threshold; `token_refused`: a forged, expired or signed-out token of this account',
    }),
    reason: z.string().max(300).nullable().openapi({ example: 'password', description: 'For `login_failed`: `password`, `code` or `locked`; for `token_refused` the error code and the request' }),
    ip: z.string().max(64).nullable(),
    userAgent: z.string().max(512).nullable(),
  })
  .openapi('SecurityFailure');

export const SecurityOverview = z
  .object({
    signIns: z.array(SignInRecord).max(MAX_SECURITY_ITEMS),
    sessions: z.array(Session).max(MAX_LISTED_SESSIONS),
    failures: z.array(SecurityFailure).max(MAX_SECURITY_ITEMS),
  })
  .openapi('SecurityOverview');
