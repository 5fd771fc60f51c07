import type { Client } from '@libsql/client';
import type { Database } from './client.ts';

/** A client that can tell whether its database may have changed (the embedded one, core/db/embedded.ts). */
export interface StampedClient extends Client {
  stamp(): string;
}

const isStamped = (client: Client): client is StampedClient => typeof (client as Partial<StampedClient>).stamp === 'function';

/**
 * A value that changes whenever the database may have changed, on an embedded database (this
 * process's writes and other processes' commits to the same file alike); null elsewhere (a
 * remote sqld has no such cheap signal). Something read while the stamp was S is still current
 * while the stamp is S, so a hot read can be kept against it: taking the stamp cost a third of
 * the user lookup it saves on every authenticated request (measured in-process).
 * Take the stamp before reading what it guards: a commit in between then only costs a re-read.
 * (No import of the embedded client here: the Worker bundles core without the native driver.)
 */
export function databaseStamp(db: Database): string | null {
  return isStamped(db.$client) ? db.$client.stamp() : null;
}
