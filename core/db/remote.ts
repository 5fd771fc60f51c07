import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { withAuditContext } from '../audit/context.ts';
import type { DatabaseHandle } from './client.ts';

/**
 * libSQL over HTTP (sqld / Turso) only. `concurrency`: calls in flight before the client queues
 * the next (the client's default is 20). The Worker imports this, not `client.ts`: that one
 * also reaches the embedded client and its native driver, which workerd cannot load.
 */
export function createRemoteDatabase(url: string, authToken?: string, { concurrency }: { concurrency?: number } = {}): DatabaseHandle {
  // Each write of a request carries its writer for the audit triggers (core/audit/context.ts).
  const client = withAuditContext(createClient({ url, ...(authToken && { authToken }), ...(concurrency && { concurrency }) }));
  return { client, db: drizzle(client) };
}
