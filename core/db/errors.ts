/** True when `err` (or its cause: drizzle wraps driver errors) is a UNIQUE violation. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed|SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)/.test(`${(e as { code?: string }).code ?? ''} ${e.message}`)) return true;
  }
  return false;
}
