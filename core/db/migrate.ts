import { migrate } from 'drizzle-orm/libsql/migrator';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

// Node-only (reads the folder): the Node host, scripts and test set-up apply migrations;
// the Worker never does, its database is migrated with `npm run db:migrate`.
export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

export async function migrateDatabase(db: Database): Promise<void> {
  await migrate(db, { migrationsFolder });
}
