/**
 * The rate-limit policies (seed "Middleware"): how many requests a client may make in a
 * sliding window. Each can be set by `RATE_LIMIT_<POLICY>=<max>/<window>` (e.g. `100/15m`).
 */
export const POLICY_NAMES = ['general', 'auth', 'expenseWrites', 'uploads'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface Policy {
  name: PolicyName;
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
  /** As written in the configuration, e.g. `15m`; named in logs and the document. */
  window: string;
}

/** The environment variable that sets each policy. */
export const policyVariable: Record<PolicyName, string> = {
  general: 'RATE_LIMIT_GENERAL',
  auth: 'RATE_LIMIT_AUTH',
  expenseWrites: 'RATE_LIMIT_EXPENSE_WRITES',
  uploads: 'RATE_LIMIT_UPLOADS',
};

export const defaultPolicies: Record<PolicyName, string> = {
  general: '1000/15m',
  // Failed attempts only: a request that succeeds gives its count back.
  auth: '5/15m',
  expenseWrites: '100/15m',
  uploads: '10/1h',
};

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export const policyPattern = /^([1-9]\d{0,8})\/([1-9]\d{0,6})(ms|s|m|h|d)$/;

/** `100/15m` → { max: 100, windowMs: 900000 }; undefined when the text is not of that form. */
export function parsePolicy(name: PolicyName, text: string): Policy | undefined {
  const m = policyPattern.exec(text.trim());
  if (!m) return undefined;
  const windowMs = Number(m[2]) * units[m[3]!]!;
  // A day at most: Retry-After and the document's bounds say so, and longer windows would
  // only keep counters (and Redis keys) alive longer.
  if (windowMs < 1000 || windowMs > 86_400_000) return undefined;
  return { name, max: Number(m[1]), windowMs, window: `${m[2]}${m[3]}` };
}
