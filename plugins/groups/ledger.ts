import type { z } from '@hono/zod-openapi';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { AppError } from '../../core/http/errors.ts';
import { decodeCursor, pageOf, pageOffset } from '../../core/http/paging.ts';
import { currencyInfo, fromMinor, toMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import { conversionFactorSql } from '../../core/rates/service.ts';
import { requireMember, type GroupRow, type MemberRow } from './access.ts';
import { planSettlements } from './plan.ts';
import { ledgerRows } from './provided.ts';
import { PENDING_SHOWN, type ListSettlementsQuery, type SettlementBody } from './schemas.ts';
import { groupLedger } from './tables.ts';

type User = Pick<AuthUser, 'id'>;
type LedgerRow = typeof groupLedger.$inferSelect;

/**
 * Each member's net position in minor units of the group currency. Every entry is converted at
 * the rate of its own day and rounded once, in SQL; the same rounded amount is added to one
 * member and taken from the other, so the positions sum to exactly 0. A debt raises what its
 * creditor (`to`) is owed; a payment raises the payer's (`from`) position. Entries whose day has
 * no rate held yet are left out and returned as pending: never guessed.
 */
async function positions(platform: Platform, group: GroupRow) {
  const { db } = platform;
  const toUnit = 10 ** currencyInfo(group.currency)!.digits;
  // The rate is looked up once per currency and day, not once per entry (a busy group has tens
  // of thousands of entries over a few hundred days); MATERIALIZED keeps SQLite from folding
  // the lookup back into every row.
  const rows = await db.all<{ userId: string | null; net: number }>(sql`
    with e as materialized (
      select kind, from_user_id, to_user_id, amount_minor, minor_per_unit, currency, substr(date, 1, 10) as day
      from ${groupLedger} where group_id = ${group.id}
    ),
    fx as materialized (
      select d.currency, d.day,
        case when d.currency = ${group.currency} then 1.0 else ${conversionFactorSql(sql`d.currency`, group.currency, sql`d.day`)} end as factor
      from (select distinct currency, day from e) d
    ),
    c as materialized (
      select e.kind, e.from_user_id, e.to_user_id, cast(round(e.amount_minor * fx.factor * ${toUnit} / e.minor_per_unit) as integer) as amount
      from e join fx on fx.currency = e.currency and fx.day = e.day
    )
    select user_id as userId, sum(delta) as net from (
      select to_user_id as user_id, case when kind = 'debt' then amount else -amount end as delta from c where amount is not null
      union all
      select from_user_id, case when kind = 'debt' then -amount else amount end from c where amount is not null
    ) group by user_id
    union all
    -- The entries without a rate, counted on a row of their own (no user id).
    select null, count(*) from c where amount is null`);
  const pendingCount = rows.find((r) => r.userId === null)?.net ?? 0;
  const nets = new Map(rows.filter((r) => r.userId !== null).map((r) => [r.userId!, r.net]));
  // Rare (a day whose rates are not loaded yet): only then are the entries themselves read.
  const pending =
    pendingCount === 0
      ? []
      : await db.all<LedgerRow>(sql`
      select id, kind, from_user_id as fromUserId, to_user_id as toUserId, amount_minor as amountMinor, currency, date
      from ${groupLedger} where ${groupLedger.groupId} = ${group.id}
        and ${groupLedger.currency} <> ${group.currency}
        and ${conversionFactorSql(groupLedger.currency, group.currency, sql`substr(${groupLedger.date}, 1, 10)`)} is null
      order by date, id limit ${PENDING_SHOWN}`);
  return { nets, pending, pendingCount };
}

const userRef = (m: Pick<MemberRow, 'userId' | 'name' | 'email'>) => ({ _id: m.userId, name: m.name, email: m.email });

export async function balances(platform: Platform, user: User, groupId: string) {
  const { group, members } = await requireMember(platform, groupId, user.id);
  const { nets, pending, pendingCount } = await positions(platform, group);
  return {
    currency: group.currency,
    // Every member, a removed one too: a debt does not end with a membership.
    balances: members.map((m) => ({ user: userRef(m), isActive: m.isActive, balance: fromMinor(nets.get(m.userId) ?? 0, group.currency) })),
    pending: pending.map((e) => ({
      _id: e.id,
      kind: e.kind,
      fromUserId: e.fromUserId,
      toUserId: e.toUserId,
      amount: fromMinor(e.amountMinor, e.currency),
      currency: e.currency,
      date: e.date,
    })),
    pendingCount,
  };
}

export async function suggestedSettlements(platform: Platform, user: User, groupId: string) {
  const { group, members } = await requireMember(platform, groupId, user.id);
  const { nets } = await positions(platform, group);
  const byId = new Map(members.map((m) => [m.userId, m]));
  // A ledger entry naming someone who was never a member (another plugin's bug) still has to balance.
  const who = (id: string) => userRef(byId.get(id) ?? { userId: id, name: '', email: '' });
  return {
    currency: group.currency,
    transfers: planSettlements([...nets].map(([userId, balance]) => ({ userId, balance }))).map((t) => ({
      from: who(t.from),
      to: who(t.to),
      amount: fromMinor(t.amount, group.currency),
    })),
  };
}

const settlementView = (e: LedgerRow) => ({
  _id: e.id,
  fromUserId: e.fromUserId,
  toUserId: e.toUserId,
  amount: fromMinor(e.amountMinor, e.currency),
  currency: e.currency,
  date: e.date,
  sourceId: e.sourceId,
  recordedBy: e.recordedBy,
  note: e.note,
  createdAt: e.createdAt,
});

/**
 * Records that `fromUserId` paid `toUserId`: a payment in the ledger, counted in the balances at
 * once. Either party or an admin may record it; both must be active members.
 */
export async function recordSettlement(platform: Platform, user: User, groupId: string, body: z.infer<typeof SettlementBody>) {
  const { group, members, me } = await requireMember(platform, groupId, user.id);
  if (me.role !== 'admin' && user.id !== body.fromUserId && user.id !== body.toUserId) {
    throw new AppError('FORBIDDEN', 'Only the payer, the payee or a group admin can record a settlement');
  }
  const active = new Set(members.filter((m) => m.isActive).map((m) => m.userId));
  const details = (['fromUserId', 'toUserId'] as const).flatMap((k) =>
    active.has(body[k]) ? [] : [{ path: `json.${k}`, message: 'is not an active member of the group' }],
  );
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', 'Invalid settlement', details);
  const currency = body.currency ?? group.currency;
  const amountMinor = toMinor(body.amount, currency, 'json.amount');
  const [row] = ledgerRows(
    platform,
    [{ groupId, kind: 'payment', fromUserId: body.fromUserId, toUserId: body.toUserId, amountMinor, currency, date: platform.clock.now().toISOString(), sourceId: '' }],
    { recordedBy: user.id, note: body.note ?? null },
  );
  // A settlement is its own source.
  const entry = { ...row!, sourceId: row!.id };
  await platform.db.insert(groupLedger).values(entry);
  return settlementView(entry);
}

/** Every payment in the ledger, newest first: settlements recorded here and shares paid through splits. */
export async function listSettlements(platform: Platform, user: User, groupId: string, query: z.infer<typeof ListSettlementsQuery>, requestUrl: string) {
  await requireMember(platform, groupId, user.id);
  const where = [eq(groupLedger.groupId, groupId), eq(groupLedger.kind, 'payment')];
  if (query.cursor) where.push(lt(groupLedger.id, decodeCursor(query.cursor, 1)[0]!));
  const offset = pageOffset(query);
  const rows = await platform.db
    .select()
    .from(groupLedger)
    .where(and(...where))
    .orderBy(desc(groupLedger.id))
    .limit(query.limit + 1)
    .offset(offset);
  const { page, link } = pageOf(rows, query, requestUrl, (r) => [r.id]);
  return { settlements: page.map(settlementView), link };
}
