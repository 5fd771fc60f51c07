import type { Client } from '@libsql/client';
import type { Database } from './client.ts';
import { perDatabase } from './prepared-batch.ts';

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

/**
 * Reads kept per database and key against the stamp: a kept read stands while the stamp it was
 * taken under does, so a commit (a sign-out, a deleted key, a new budget) is seen by the next
 * call. The promise is kept, so the calls of one turn of the event loop share one read (the
 * group commit answers about 30 writes together). At most `max` keys per database, all
 * forgotten at once past it; a failed read is not kept; without a stamp (sqld) every call reads.
 */
export function keptPerStamp<V>(max: number) {
  const kept = perDatabase((_db: Database) => new Map<string, { stamp: string; value: Promise<V> }>());
  return (db: Database, key: string, read: () => Promise<V>): Promise<V> => {
    const stamp = databaseStamp(db);
    if (stamp === null) return read();
    const map = kept(db);
    const hit = map.get(key);
    if (hit?.stamp === stamp) return hit.value;
    if (map.size >= max) map.clear();
    const value = read();
    map.set(key, { stamp, value });
    value.catch(() => map.get(key)?.value === value && map.delete(key));
    return value;
  };
}
