import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';

export type Database = LibSQLDatabase;

export interface DatabaseHandle {
  db: Database;
  client: Client;
}

/** One factory for both hosts: a file or `:memory:` on Node, HTTP (sqld / Turso) on Workers. */
export function createDatabase(url: string, authToken?: string): DatabaseHandle {
  const client = createClient(authToken ? { url, authToken } : { url });
  return { client, db: drizzle(client) };
}
