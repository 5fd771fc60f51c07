/**
 * `npm run db:migrate`: applies migrations/ to DATABASE_URL — the local file by default, or a
 * Turso / sqld database (DATABASE_URL=libsql://…, DATABASE_AUTH_TOKEN=…) before a Workers deploy.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { configSchema } from '../core/config.ts';
import { createDatabase } from '../core/db/client.ts';
import { migrateDatabase } from '../core/db/migrate.ts';

const env = configSchema.safeParse({ DATABASE_URL: process.env.DATABASE_URL || undefined, DATABASE_AUTH_TOKEN: process.env.DATABASE_AUTH_TOKEN || undefined });
if (!env.success) {
  console.error(`Invalid configuration:\n${env.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  process.exit(1);
}
const { DATABASE_URL: url, DATABASE_AUTH_TOKEN: token } = env.data;
if (url.startsWith('file:')) mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
const { db, client } = createDatabase(url, token);
await migrateDatabase(db);
client.close();
console.log(`migrated ${url.split('?')[0]}`);
