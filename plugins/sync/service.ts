import { and, gt, lte, eq } from 'drizzle-orm';
import type { Platform } from '../../core/platform.ts';
import { needsResync } from './room.ts';
import { syncTickets } from './tables.ts';

export const TICKET_TTL_MS = 60_000;

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function hashOf(ticket: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(ticket));
  return base64url(new Uint8Array(digest));
}

/** A fresh ticket for `userId`: 256 random bits, stored only as its hash; expired ones are swept in the same batch. */
export async function issueTicket(platform: Platform, userId: string) {
  const ticket = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const now = platform.clock.now();
  const expiresAt = new Date(now.getTime() + TICKET_TTL_MS).toISOString();
  const { db } = platform;
  await db.batch([
    db.delete(syncTickets).where(lte(syncTickets.expiresAt, now.toISOString())),
    db.insert(syncTickets).values({ hash: await hashOf(ticket), userId, expiresAt }),
  ]);
  return { ticket, expiresAt };
}

/** The ticket's user, or null when it is unknown, used or expired. One statement: two uses at once cannot both win. */
export async function consumeTicket(platform: Platform, ticket: string): Promise<string | null> {
  if (ticket.length === 0 || ticket.length > 128) return null;
  const [row] = await platform.db
    .delete(syncTickets)
    .where(and(eq(syncTickets.hash, await hashOf(ticket)), gt(syncTickets.expiresAt, platform.clock.now().toISOString())))
    .returning({ userId: syncTickets.userId });
  return row?.userId ?? null;
}

/** A page of the user's changes after `since`: the HTTP form of `sync_data`. */
export async function pull(platform: Platform, userId: string, since: number, limit: number) {
  const rows = await platform.changes.since(userId, since, limit + 1);
  const resyncFrom = await needsResync(since, rows, () => platform.changes.last(userId));
  if (resyncFrom !== null) return { changes: [], nextSeq: resyncFrom, hasMore: false, resync: true as const };
  const changes = rows.slice(0, limit);
  return { changes, nextSeq: changes.at(-1)?.seq ?? since, hasMore: rows.length > limit };
}
