/**
 * Settle-up reads for a 50-member group with 10,000 shared expenses (each split four ways,
 * in three currencies over three years): GET /api/groups/{id}/balances and the suggested
 * settlement plan. Members and the group come through the API; the expenses, their links to
 * the group and the split debts are written straight into the server's database, as the
 * expense seed is (bench/seed.ts).
 */
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { v7 } from 'uuid';
import { groupExpenses, groupLedger } from '../plugins/groups/tables.ts';
import type { Scenario } from './load.ts';
import { insertExpenses, insertRates, makeExpenses, YEARS_IN_THREE_CURRENCIES } from './seed.ts';

export const MEMBERS = 50;
export const GROUP_EXPENSES = 10_000;
export const BALANCES = 'GET /api/groups/{id}/balances (50 members)';
export const PLAN = 'GET /api/groups/{id}/settlements/suggested';

type Api = (path: string, init?: RequestInit & { token?: string }) => Promise<{ status: number; body: unknown }>;

const ms = (since: number) => `${(performance.now() - since).toFixed(0)} ms`;

export async function setUpGroup(api: Api, databaseUrl: string): Promise<{ token: string; groupId: string }> {
  let t = performance.now();
  const members: { id: string; token: string; email: string }[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const email = `member-${i}@example.com`;
    const reg = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ name: `Member ${i}`, email, password: 'bench-password-1' }) });
    if (reg.status !== 201) throw new Error(`register member ${i}: ${reg.status} ${JSON.stringify(reg.body)}`);
    const { token, user } = reg.body as { token: string; user: { id: string } };
    members.push({ id: user.id, token, email });
  }
  const admin = members[0]!;
  const created = await api('/api/groups', { method: 'POST', token: admin.token, body: JSON.stringify({ name: 'Big flat', currency: 'USD' }) });
  if (created.status !== 201) throw new Error(`create group: ${created.status} ${JSON.stringify(created.body)}`);
  const groupId = (created.body as { data: { _id: string } }).data._id;
  for (const m of members.slice(1)) {
    const added = await api(`/api/groups/${groupId}/members`, { method: 'POST', token: admin.token, body: JSON.stringify({ email: m.email }) });
    if (added.status !== 201) throw new Error(`add member: ${added.status} ${JSON.stringify(added.body)}`);
  }
  console.log(`group of ${MEMBERS} members through the API in ${ms(t)}`);

  t = performance.now();
  const spread = YEARS_IN_THREE_CURRENCIES(Date.now());
  const perMember = GROUP_EXPENSES / MEMBERS;
  const expenses = members.flatMap((m) => makeExpenses(m.id, perMember, spread).map((e) => ({ ...e, id: v7(), type: 'expense' as const })));
  await insertExpenses(databaseUrl, expenses);
  await insertRates(databaseUrl, spread.from, spread.to, spread.currencies.map((c) => c.code));

  // Each expense split four ways: the payer and the next three members owe equal shares.
  const now = new Date().toISOString();
  const links = expenses.map((e) => ({ groupId, expenseId: e.id!, addedBy: e.userId, addedAt: now }));
  const debts = expenses.flatMap((e, i) => {
    const payer = members.findIndex((m) => m.id === e.userId);
    const share = Math.floor(e.amountMinor / 4);
    return [1, 2, 3]
      .map((k) => members[(payer + k + (i % 7)) % MEMBERS]!)
      .filter((m) => m.id !== e.userId && share > 0)
      .map((m) => ({
        id: v7(),
        groupId,
        kind: 'debt' as const,
        fromUserId: m.id,
        toUserId: e.userId,
        amountMinor: share,
        currency: e.currency,
        minorPerUnit: e.minorPerUnit,
        date: e.date,
        sourceId: e.id!,
        recordedBy: null,
        note: null,
        createdAt: now,
      }));
  });
  const client = createClient({ url: databaseUrl });
  try {
    await client.execute('PRAGMA busy_timeout = 5000');
    const db = drizzle(client);
    const chunk = <T>(rows: T[], columns: number) => Array.from({ length: Math.ceil(rows.length / Math.floor(32_766 / columns)) }, (_, i) => rows.slice(i * Math.floor(32_766 / columns), (i + 1) * Math.floor(32_766 / columns)));
    const statements = [
      ...chunk(links, 4).map((rows) => db.insert(groupExpenses).values(rows)),
      ...chunk(debts, 13).map((rows) => db.insert(groupLedger).values(rows)),
    ];
    const [first, ...rest] = statements;
    await db.batch([first!, ...rest]);
  } finally {
    client.close();
  }
  // The writes above held this process's event loop: let the HTTP client retire stale sockets.
  await new Promise((resolve) => setTimeout(resolve, 50));
  console.log(`${GROUP_EXPENSES} group expenses and ${debts.length} split debts in ${ms(t)}`);

  const balances = await api(`/api/groups/${groupId}/balances`, { token: admin.token });
  const plan = await api(`/api/groups/${groupId}/settlements/suggested`, { token: admin.token });
  const b = (balances.body as { data?: { balances: { balance: number }[]; pendingCount: number } }).data;
  const p = plan.body as { count?: number };
  if (balances.status !== 200 || plan.status !== 200 || !b) throw new Error(`settle-up check failed: balances ${balances.status}, plan ${plan.status}`);
  const sum = b.balances.reduce((s, x) => s + Math.round(x.balance * 100), 0);
  console.log(`balances of ${b.balances.length} members sum to ${sum / 100} (pending ${b.pendingCount}); plan: ${p.count} transfers`);
  return { token: admin.token, groupId };
}

/** One connection, as a member opening the group's balances. */
export const groupScenarios = ({ token, groupId }: { token: string; groupId: string }): Scenario[] => [
  { name: BALANCES, path: `/api/groups/${groupId}/balances`, headers: { authorization: `Bearer ${token}` }, connections: 1 },
  { name: PLAN, path: `/api/groups/${groupId}/settlements/suggested`, headers: { authorization: `Bearer ${token}` }, connections: 1 },
];
