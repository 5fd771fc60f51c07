import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import { drizzle } from 'drizzle-orm/libsql';
import { withAuditContext } from '../audit/context.ts';
import { EmbeddedClient } from './embedded.ts';
import { createRemoteDatabase } from './remote.ts';

/** Drizzle over a libSQL client; `$client` is that client (for prepared batches, core/db/prepared-batch.ts). */
export type Database = LibSQLDatabase & { $client: Client };

export interface DatabaseHandle {
  db: Database;
  client: Client;
}

const isEmbedded = (url: string) => url.startsWith('file:') || url.startsWith(':memory:');

/**
 * For Node and Deno (hosts, scripts, tests): a file or `:memory:` database gets the embedded
 * client (statements kept, group commit); an HTTP URL (sqld / Turso) gets @libsql/client.
 * The Worker uses `createRemoteDatabase` directly (remote.ts).
 */
export function createDatabase(url: string, authToken?: string): DatabaseHandle {
  if (!isEmbedded(url)) return createRemoteDatabase(url, authToken);
  // Each write of a request carries its writer for the audit triggers (core/audit/context.ts).
  const client = withAuditContext(new EmbeddedClient(url));
  return { client, db: drizzle(client) };
}
