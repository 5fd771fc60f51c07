/**
 * `npm run audit:verify`: recomputes the audit log's hash chain (core/audit/chain.ts) on
 * DATABASE_URL — the local file by default, or a Turso / sqld database — and prints the first
 * broken link. Exits 1 when the chain is broken, 0 when it holds.
 */
import { verify } from '../core/audit/chain.ts';
import { configSchema } from '../core/config.ts';
import { createDatabase } from '../core/db/client.ts';

const env = configSchema.safeParse({ DATABASE_URL: process.env.DATABASE_URL || undefined, DATABASE_AUTH_TOKEN: process.env.DATABASE_AUTH_TOKEN || undefined });
if (!env.success) {
  console.error(`Invalid configuration:\n${env.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(2);
}
const { DATABASE_URL: url, DATABASE_AUTH_TOKEN: token } = env.data;
const { db, client } = createDatabase(url, token);
const verdict = await verify(db);
client.close();
const where = url.split('?')[0];
if (verdict.ok) {
  console.log(`audit log of ${where}: intact, ${verdict.rows} rows (${verdict.unsealed} not sealed yet)`);
} else {
  console.error(`audit log of ${where}: BROKEN at row ${verdict.broken!.id}: ${verdict.broken!.reason} (${verdict.rows} rows checked before it)`);
  process.exitCode = 1;
}
