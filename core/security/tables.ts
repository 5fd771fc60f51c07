import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const SECURITY_EVENT_TYPES = [
  /** A successful sign-in (login, or its two-factor step): what the security page lists. */
  'sign_in',
  /** A wrong password, an unknown email, a wrong second-factor code, or an attempt on a locked account. */
  'login_failed',
  'account_locked',
  'address_blocked',
  /** A 429 from a rate limit. */
  'rate_limited',
  /** A bad, expired or signed-out token. */
  'token_refused',
  /** A 400: input the API refused. */
  'input_refused',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/**
 * Security events: written only when something is refused, and on sign-ins (never on an ordinary
 * successful request). Append-only in use; the auth plugin's prune job drops those over 90 days.
 */
export const securityEvents = sqliteTable(
  'security_event',
  {
    id: text('id').primaryKey(),
    at: text('at').notNull(),
    type: text('type', { enum: SECURITY_EVENT_TYPES }).notNull(),
    /** The account concerned, when there is one (never for an unknown email). */
    userId: text('user_id'),
    sessionId: text('session_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    deviceName: text('device_name'),
    /**
     * Why, in a word: for login_failed `password`, `unknown_email`, `code`, `locked`; for sign_in
     * `new_device` or null; for refusals the error code; for rate_limited the path.
     */
    detail: text('detail'),
  },
  (t) => [index('security_event_user_idx').on(t.userId, t.type, t.at), index('security_event_ip_idx').on(t.ip, t.type, t.at)],
);

export type SecurityEventRow = typeof securityEvents.$inferSelect;
