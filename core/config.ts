import { z } from 'zod';
import { DEFAULT_HASH_COST } from './auth/password.ts';
import { defaultPolicies, parsePolicy, type PolicyName } from './rate-limit/policies.ts';

const ECB_DAILY = 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml';
const ECB_90_DAYS = 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist-90d.xml';

const sourceUrl = z
  .string()
  .refine((v) => /^(https?|file):/.test(v), 'must be an http(s): or file: URL');

const ms = z.coerce.number().int().min(1).max(3_600_000);
const days = (min: number) => z.coerce.number().int().min(min).max(36_500);

// jose accepts these spans for `exp`; anything else would only fail at the first login.
const span = /^\d+\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|y|yr|yrs|year|years)$/;

const policy = (name: PolicyName) =>
  z
    .string()
    .default(defaultPolicies[name])
    .transform((text, ctx) => {
      const parsed = parsePolicy(name, text);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: 'must be <max>/<window>, e.g. 100/15m (window in ms, s, m, h or d; from 1 s to 1 d)' });
        return z.NEVER;
      }
      return parsed;
    });

// `<max>/<window>` as for the rate limits: so many failed sign-ins within the window lock for one window.
const threshold = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const parsed = parsePolicy('auth', text);
      if (!parsed) {
        ctx.addIssue({ code: 'custom', message: 'must be <max>/<window>, e.g. 10/15m (window in ms, s, m, h or d; from 1 s to 1 d)' });
        return z.NEVER;
      }
      return { max: parsed.max, windowMs: parsed.windowMs };
    });

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^(file:|:memory:$|libsql:|https?:|wss?:)/, 'must be a file:, libsql:, http(s): or ws(s): URL')
      .default('file:./data/expenseflow.db'),
    DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
    JWT_SECRET: z.string().min(1).optional(),
    JWT_EXPIRE: z.string().regex(span, 'must be a span such as 7d, 12h or 3600s').default('7d'),
    FRONTEND_URL: z.url().default('http://localhost:3000'),
    DATA_DIR: z.string().min(1).default('./data'),
    EXCHANGE_RATES_URL: sourceUrl.default(ECB_DAILY),
    EXCHANGE_RATES_HISTORY_URL: sourceUrl.default(ECB_90_DAYS),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    // Embedded hosts (Node, Deno): how long a stop waits for requests in flight.
    SHUTDOWN_GRACE_MS: ms.default(10_000),
    // Node host: a client gets this long to send its headers, then its whole request; an idle
    // keep-alive connection is closed after KEEP_ALIVE_TIMEOUT_MS.
    HEADERS_TIMEOUT_MS: ms.default(30_000),
    REQUEST_TIMEOUT_MS: ms.default(30_000),
    KEEP_ALIVE_TIMEOUT_MS: ms.default(5_000),
    // Receipts: the largest upload (a multipart body; JSON bodies stay at 1 MB), and how long an
    // upload waits for its reading before it answers with the receipt still pending.
    RECEIPT_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
    RECEIPT_OCR_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(3_000),
    // The shared secret of the OCR worker (`npm run ocr-worker`), which reads receipts for a
    // host without OCR (Workers) through /api/receipts/internal/*; unset, those routes are 404.
    OCR_WORKER_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    // Rate limits (seed "Middleware"): `off` for benchmarks and tests that are not about them.
    RATE_LIMITS: z.enum(['on', 'off']).default('on'),
    RATE_LIMIT_GENERAL: policy('general'),
    RATE_LIMIT_AUTH: policy('auth'),
    RATE_LIMIT_EXPENSE_WRITES: policy('expenseWrites'),
    RATE_LIMIT_UPLOADS: policy('uploads'),
    // scrypt's cost for new password hashes, log2 of N (core/auth/password.ts): at least 14 in
    // production; lower only for tests, where every sign-up and sign-in pays one hash.
    PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(16).default(DEFAULT_HASH_COST),
    // Failed sign-ins: an account locked (answering as a wrong password does), an address refused.
    LOCKOUT_ACCOUNT: threshold('10/15m'),
    LOCKOUT_ADDRESS: threshold('50/1h'),
    // How many proxies stand in front of a Node or Deno host: the client is the address the
    // nearest one saw, counted from the right of X-Forwarded-For. 0 (the default) ignores the header.
    TRUST_PROXY: z
      .union([z.enum(['true', 'false']), z.coerce.number().int().min(0).max(10)])
      .default(0)
      .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : v)),
    UPSTASH_REDIS_REST_URL: z.url({ protocol: /^https?$/ }).optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    // Mail: Postmark when both are set, else the outbox alone (each message logged).
    POSTMARK_SERVER_TOKEN: z.string().min(1).max(200).optional(),
    MAIL_FROM: z.string().min(3).max(320).optional(),
    // Postmark's API root: https://api.postmarkapp.com, or a stand-in in tests.
    POSTMARK_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.postmarkapp.com'),
    POSTMARK_MESSAGE_STREAM: z.string().regex(/^[a-z0-9-]{1,30}$/, 'must be a Postmark message stream id').default('outbound'),
    // Where this API is reached from outside: unsubscribe links in emails point here.
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000'),
    // Web Push (`npm run vapid` makes a pair): all three, or none and no push is sent.
    VAPID_PUBLIC_KEY: z.string().regex(/^B[A-Za-z0-9_-]{86}$/, 'must be an uncompressed P-256 public key, base64url (87 characters)').optional(),
    VAPID_PRIVATE_KEY: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a P-256 private key, base64url (43 characters)').optional(),
    VAPID_SUBJECT: z.string().max(320).regex(/^(mailto:|https:\/\/)\S+$/, 'must be a mailto: or https: URL').optional(),
    // Retention (the `retention` job): days kept before rows are deleted.
    RETENTION_JOB_RUNS_DAYS: days(1).default(30),
    RETENTION_OUTBOX_DAYS: days(1).default(30),
    // At least 31: a replayed offline delta (kept 30 days) reads its answer from the change log.
    RETENTION_CHANGE_LOG_DAYS: days(31).default(90),
    // The security page shows recent events; a sign-in is "new" against this much history.
    RETENTION_SECURITY_EVENTS_DAYS: days(1).default(90),
    // Webhook URLs that resolve to private, loopback or link-local addresses are refused (SSRF);
    // `true` allows them (tests with a local receiver, a deployment whose receivers are internal).
    WEBHOOKS_ALLOW_PRIVATE: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .superRefine((cfg, ctx) => {
    // A production secret must carry at least 256 bits: HS256 is only as strong as its key.
    if (cfg.NODE_ENV === 'production' && new TextEncoder().encode(cfg.JWT_SECRET ?? '').length < 32) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production and must be at least 32 bytes' });
    }
    if (cfg.NODE_ENV === 'production' && cfg.PASSWORD_HASH_COST < DEFAULT_HASH_COST) {
      ctx.addIssue({ code: 'custom', path: ['PASSWORD_HASH_COST'], message: `must be at least ${DEFAULT_HASH_COST} in production` });
    }
    // One without the other is a half-done setup, not a reason to fall back to the in-process limiter.
    if ((cfg.UPSTASH_REDIS_REST_URL === undefined) !== (cfg.UPSTASH_REDIS_REST_TOKEN === undefined)) {
      const missing = cfg.UPSTASH_REDIS_REST_URL === undefined ? 'UPSTASH_REDIS_REST_URL' : 'UPSTASH_REDIS_REST_TOKEN';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when the other UPSTASH_REDIS_REST_* setting is set' });
    }
    const vapid = [cfg.VAPID_PUBLIC_KEY, cfg.VAPID_PRIVATE_KEY, cfg.VAPID_SUBJECT];
    if (vapid.some((v) => v !== undefined) && vapid.some((v) => v === undefined)) {
      const missing = (['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'] as const).find((k) => cfg[k] === undefined)!;
      ctx.addIssue({ code: 'custom', path: [missing], message: 'is required when the other VAPID_* settings are set' });
    }
  });

export type Config = z.infer<typeof configSchema> & { JWT_SECRET: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration from an environment (process.env on Node, bindings on Workers).
 * A wrong value stops the start with a message naming the variable.
 */
export function loadConfig(env: Record<string, unknown>, fallbackSecret?: (config: z.infer<typeof configSchema>) => string): Config {
  const picked = Object.fromEntries(
    Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const secret = parsed.data.JWT_SECRET ?? fallbackSecret?.(parsed.data);
  if (!secret) throw new ConfigError('Invalid configuration:\n  JWT_SECRET: is required');
  return { ...parsed.data, JWT_SECRET: secret };
}
