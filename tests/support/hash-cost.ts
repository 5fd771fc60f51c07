/**
 * The suite hashes passwords at scrypt cost 10 (PASSWORD_HASH_COST), not the default 14: every
 * sign-up and sign-in pays one hash, about 0.3 s of CPU at 14 on a slow core, and the suite
 * signs up well over a thousand users. The default cost is core/auth/password.test.ts's case.
 */
export const TEST_HASH_COST = { PASSWORD_HASH_COST: '10' } as const;
