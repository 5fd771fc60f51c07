import { z } from '@hono/zod-openapi';
import { CurrencyCode, Instant } from '../../core/schemas.ts';

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

export const RegisterBody = z.object({ name: Name, email: Email, password: Password }).openapi('RegisterRequest');
export const LoginBody = z.object({ email: Email, password: z.string().min(1).max(128) }).openapi('LoginRequest');

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
  .openapi('UpdateCurrentUserRequest');
