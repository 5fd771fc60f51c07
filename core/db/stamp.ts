import type { Database } from './client.ts';
import type { EmbeddedClient } from './embedded.ts';

/**
 * A value that changes whenever the database may have changed, on an embedded database (this
 * process's writes and other processes' commits to the same file alike); null elsewhere (a
 * remote sqld has no such cheap signal). Something read while the stamp was S is still current
 * while the stamp is S, so a hot read can be kept against it: taking the stamp cost a third of
 * the user lookup it saves on every authenticated request (measured in-process).
 * Take the stamp before reading what it guards: a commit in between then only costs a re-read.
 */
export function databaseStamp(db: Database): string | null {
  // Told by its shape, not by `instanceof`: importing the class would pull the native libsql
  // driver into the Worker's bundle, where it cannot load (the Worker then fails at start).
  const client = db.$client as Partial<Pick<EmbeddedClient, 'stamp'>>;
  return typeof client.stamp === 'function' ? client.stamp() : null;
}
