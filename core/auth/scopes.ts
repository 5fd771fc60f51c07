/**
 * What an API key may do: `<resource>:read` or `<resource>:write`, one scope per route. Write
 * does not include read: a key that creates expenses and lists them has both.
 */
export const SCOPE_RESOURCES = ['expenses', 'budgets', 'goals', 'groups', 'splits', 'receipts', 'analytics', 'notifications', 'webhooks', 'events'] as const;

export type ScopeResource = (typeof SCOPE_RESOURCES)[number];
export type Scope = `${ScopeResource}:${'read' | 'write'}`;

export const SCOPES = SCOPE_RESOURCES.flatMap((r) => [`${r}:read`, `${r}:write`] as const) as readonly Scope[];

/** The security schemes of the document: a user's token (bearerAuth) and an API key (apiKey). */
export const USER_TOKEN_SCHEME = 'bearerAuth';
export const API_KEY_SCHEME = 'apiKey';

/**
 * A route's `security` when an API key with `scope` may call it, besides a user's token: the
 * one declaration, beside the route's createRoute. The document shows it (OpenAPI 3.1 lets a
 * non-OAuth scheme list the roles it needs), and core reads it when the route is registered to
 * enforce it (core/auth/route-auth.ts). A route with plain `bearerSecurity` takes user tokens only.
 */
export const scoped = (scope: Scope): Record<string, string[]>[] => [{ [USER_TOKEN_SCHEME]: [] }, { [API_KEY_SCHEME]: [scope] }];

/** The scope a route's `security` declares for API keys; undefined: user tokens only. */
export function declaredScope(security: readonly Record<string, readonly string[]>[] | undefined): Scope | undefined {
  for (const requirement of security ?? []) {
    const scopes = requirement[API_KEY_SCHEME];
    if (scopes?.length === 1 && (SCOPES as readonly string[]).includes(scopes[0]!)) return scopes[0] as Scope;
    if (scopes) throw new Error(`an API key requirement names one known scope, not ${JSON.stringify(scopes)}`);
  }
  return undefined;
}
