import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { sessions } from '../auth/tables.ts';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import type { Clock, Ids, KeepAlive } from '../platform.ts';
import { securityEvents, type SecurityEventRow, type SecurityEventType } from './tables.ts';

export interface SecurityEventInput {
  type: SecurityEventType;
  userId?: string | null;
  sessionId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  deviceName?: string | null;
  detail?: string | null;
}

/** So many failures within `windowMs` lock (an account) or refuse (an address) for `windowMs`. */
export interface Threshold {
  max: number;
  windowMs: number;
}

export interface SecurityOptions {
  account: Threshold;
  address: Threshold;
}

/** Why a sign-in failed; `locked`: the account was locked (the password was checked all the same). */
export type FailureReason = 'password' | 'unknown_email' | 'code' | 'locked';

export interface SignIn {
  userId: string;
  sessionId: string;
  deviceName: string;
  ip: string | null;
  userAgent: string | null;
}

/** The failures that count towards an account's lock: a locked attempt does not extend the lock. */
const COUNTED: FailureReason[] = ['password', 'code'];
/** What the security page lists as failures on the account. */
export const FAILURE_TYPES: SecurityEventType[] = ['login_failed', 'account_locked', 'token_refused'];

export interface SecurityPort {
  /** Records an event now (awaited: the lockout counts read it). */
  record(event: SecurityEventInput): Promise<void>;
  /** Records an event off the answer's path (a refusal: 400, 429, a refused token); never fails the request. */
  note(c: Context, event: SecurityEventInput): void;
  /** Whether the account is locked now. */
  accountLocked(userId: string): Promise<boolean>;
  /** Seconds until the address may try to sign in again; 0 when it may now. */
  addressRefusedFor(ip: string): Promise<number>;
  /** Records a failed sign-in; the one that reaches a threshold locks the account or refuses the address. */
  loginFailed(failure: { userId: string | null; reason: FailureReason; ip: string | null; userAgent: string | null }): Promise<void>;
  /**
   * Records a sign-in. New device: the user has never signed in before with this device name and
   * user agent (no sign-in recorded, no other session). `first` (the register): never new.
   */
  signedIn(signIn: SignIn, first?: boolean): Promise<{ newDevice: boolean; at: string }>;
  /** The user's latest events of these types, newest first. */
  recent(userId: string, types: readonly SecurityEventType[], limit: number): Promise<SecurityEventRow[]>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createSecurityPort(db: Database, clock: Clock, ids: Ids, logger: Logger, keepAlive: KeepAlive, options: SecurityOptions): SecurityPort {
  const insert = (e: SecurityEventInput, at = clock.now().toISOString()) =>
    db.insert(securityEvents).values({
      id: ids.next(),
      at,
      type: e.type,
      userId: e.userId ?? null,
      sessionId: e.sessionId ?? null,
      ip: e.ip ?? null,
      userAgent: e.userAgent ?? null,
      deviceName: e.deviceName ?? null,
      detail: e.detail ?? null,
    });

  const lastOf = (type: SecurityEventType, column: 'user_id' | 'ip', key: string) =>
    sql`(select max(at) from ${securityEvents} where ${sql.raw(column)} = ${key} and type = ${type})`;

  /**
   * The lock (or refusal) as one conditional insert: only when the failures since the window
   * began, and since the last lock, reach the threshold, and no lock is in force.
   */
  const lockWhenDue = (type: 'account_locked' | 'address_blocked', column: 'user_id' | 'ip', key: string, t: Threshold, now: number, ip: string | null) => {
    const since = iso(now - t.windowMs);
    const counted = column === 'user_id' ? sql` and detail in (${sql.join(COUNTED.map((r) => sql`${r}`), sql`, `)})` : sql``;
    return db.run(sql`insert into ${securityEvents} (id, at, type, user_id, ip, detail)
      select ${ids.next()}, ${iso(now)}, ${type}, ${column === 'user_id' ? key : null}, ${ip}, null
      where (select count(*) from ${securityEvents} where ${sql.raw(column)} = ${key} and type = 'login_failed'${counted}
               and at > ${since} and at > coalesce(${lastOf(type, column, key)}, '')) >= ${t.max}
        and coalesce(${lastOf(type, column, key)}, '') <= ${since}`);
  };

  return {
    async record(event) {
      await insert(event);
    },
    note(c, event) {
      const done = insert(event).then(
        () => undefined,
        (err) => logger.warn('security event not recorded', { type: event.type, error: String(err) }),
      );
      keepAlive(c, done);
    },
    async accountLocked(userId) {
      const [row] = await db.all<{ at: string | null }>(sql`select ${lastOf('account_locked', 'user_id', userId)} as at`);
      return row?.at != null && Date.parse(row.at) > clock.now().getTime() - options.account.windowMs;
    },
    async addressRefusedFor(ip) {
      const [row] = await db.all<{ at: string | null }>(sql`select ${lastOf('address_blocked', 'ip', ip)} as at`);
      if (row?.at == null) return 0;
      const left = Date.parse(row.at) + options.address.windowMs - clock.now().getTime();
      return left > 0 ? Math.ceil(left / 1000) : 0;
    },
    async loginFailed({ userId, reason, ip, userAgent }) {
      const now = clock.now().getTime();
      await db.batch([
        insert({ type: 'login_failed', userId, ip, userAgent, detail: reason }, iso(now)),
        ...(userId && reason !== 'locked' ? [lockWhenDue('account_locked', 'user_id', userId, options.account, now, ip)] : []),
        ...(ip ? [lockWhenDue('address_blocked', 'ip', ip, options.address, now, ip)] : []),
      ]);
    },
    async signedIn(s, first = false) {
      const at = clock.now().toISOString();
      const known =
        first ||
        (
          await db.all<{ known: number }>(sql`select (
            exists (select 1 from ${securityEvents} where user_id = ${s.userId} and type = 'sign_in' and device_name = ${s.deviceName} and user_agent is ${s.userAgent})
            or exists (select 1 from ${sessions} where user_id = ${s.userId} and device_name = ${s.deviceName} and user_agent is ${s.userAgent} and id <> ${s.sessionId})
          ) as known`)
        )[0]?.known === 1;
      await insert({ type: 'sign_in', ...s, detail: known ? null : 'new_device' }, at);
      return { newDevice: !known, at };
    },
    recent: (userId, types, limit) =>
      db
        .select()
        .from(securityEvents)
        .where(and(eq(securityEvents.userId, userId), inArray(securityEvents.type, [...types])))
        .orderBy(desc(securityEvents.at), desc(securityEvents.id))
        .limit(limit),
  };
}
