import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';

/**
 * TOTP two-factor (RFC 6238) of a user. The secret is kept as the server must read it to
 * check codes; `pendingSecret` is one being set up, until a code from it is verified.
 */
export const twoFactor = sqliteTable('two_factor', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** Base32; set once setup is verified, null while two-factor is off. */
  secret: text('secret'),
  pendingSecret: text('pending_secret'),
  enabledAt: text('enabled_at'),
  /** The 30-second step of the last code accepted: a code is good once (RFC 6238 §5.2). */
  lastStep: integer('last_step').notNull().default(0),
});

/** One-time backup codes, hashed (SHA-256: they are random, 50 bits each, not passwords). */
export const backupCodes = sqliteTable(
  'two_factor_backup_code',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: text('used_at'),
  },
  // The key's first column serves the lookups by user.
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);
