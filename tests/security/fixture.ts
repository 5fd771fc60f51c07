import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp } from '../support/app.ts';
import { fillPath, operationsOf, type Operation } from './document.ts';
import type { Hints } from './values.ts';

export const WORKER_SECRET = 'hostile-suite-ocr-worker-secret-0123456789';
const RECEIPT = join(import.meta.dirname, '..', 'fixtures', 'receipts', 'coffee-usd-small-font.png');

export type App = Awaited<ReturnType<typeof createTestApp>>;
export type User = { token: string; id: string; email: string };

/** Values for every path parameter of every route, by the document's path template. */
export type PathIds = Record<string, Record<string, string>>;

const ok = <T>(what: string, res: { status: number; body: T }) => {
  if (res.status >= 300) throw new Error(`fixture: ${what} answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as any;
};

/**
 * A user who owns one of everything: expenses, a category of their own, a budget, a goal with
 * notifications, a group with a second member, a split, a settlement, a recurring expense, a
 * receipt. Returns their ids for every path parameter the document has.
 */
export async function richUser(app: App, name: string, member: User): Promise<{ user: User; ids: PathIds; hints: Hints }> {
  const { api } = app;
  const user = await api.register(`${name.toLowerCase()}-${Math.random().toString(36).slice(2)}@example.com`, name);
  const t = user.token;
  const category = `${name.toLowerCase()}-own`;
  ok('category', await api.post('/api/expenses/categories', { name: category }, t));
  const expense = ok('expense', await api.post('/api/expenses', { description: 'Lunch', amount: 12.5, category: 'food', date: '2025-05-09', notes: 'with the team', tags: ['work'], merchant: 'Cafe' }, t));
  ok('expense', await api.post('/api/expenses', { description: 'Salary', amount: 3000, type: 'income', category: 'salary', date: '2025-05-01' }, t));
  const toSplit = ok('expense', await api.post('/api/expenses', { description: 'Dinner', amount: 60, category, date: '2025-05-10' }, t));
  const budget = ok('budget', await api.post('/api/budgets', { name: 'Food', amount: 400, period: 'monthly', category: 'food' }, t));
  const goal = ok('goal', await api.post('/api/goals', { title: 'Bike', targetAmount: 1000 }, t));
  // Past 50%: milestone notifications for the user.
  ok('contribute', await api.patch(`/api/goals/${goal._id}/contribute`, { amount: 600 }, t));
  const group = ok('group', await api.post('/api/groups', { name: `${name}'s flat` }, t)).data;
  ok('member', await api.post(`/api/groups/${group._id}/members`, { email: member.email }, t));
  // Its own group to leave, so leaving does not take the other group routes' group away.
  const trip = ok('group', await api.post('/api/groups', { name: `${name}'s trip` }, t)).data;
  ok('member', await api.post(`/api/groups/${trip._id}/members`, { email: member.email }, t));
  ok('group expense', await api.post(`/api/groups/${group._id}/expenses`, { description: 'Groceries', amount: 30, category: 'food' }, t));
  ok('settlement', await api.post(`/api/groups/${group._id}/settlements`, { fromUserId: member.id, toUserId: user.id, amount: 5 }, t));
  const split = ok('split', await api.post('/api/splits', { expenseId: toSplit._id, groupId: group._id, splitMethod: 'equal' }, t)).data;
  const recurring = ok('recurring', await api.post('/api/recurring', { description: 'Rent', amount: 900, category: 'utilities', frequency: 'monthly', startDate: '2026-01-31' }, t));
  const form = new FormData();
  form.set('receipt', new File([readFileSync(RECEIPT)], 'coffee.png', { type: 'image/png' }));
  form.set('expenseId', expense._id);
  const upload = await app.app.request('/api/receipts', { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: form });
  const receipt = ok('receipt', { status: upload.status, body: await upload.json() });
  // One not yet linked to an expense, for the route that makes one from it.
  const loose = new FormData();
  loose.set('receipt', new File([readFileSync(RECEIPT)], 'coffee.png', { type: 'image/png' }));
  const looseUpload = await app.app.request('/api/receipts', { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: loose });
  const unlinked = ok('receipt', { status: looseUpload.status, body: await looseUpload.json() });
  const notification = ok('notifications', await api.get('/api/notifications', t))[0];
  const session = ok('sessions', await api.get('/api/auth/sessions', t)).data.find((s: { current: boolean }) => s.current);
  if (!notification || !session) throw new Error('fixture: no notification or session');
  const key = ok('api key', await api.post('/api/keys', { name: 'Script', scopes: ['expenses:read'] }, t));
  // A receiver on a closed loopback port (the suites allow private addresses): a ping fails at once, logged.
  const webhook = ok('webhook', await api.post('/api/webhooks', { url: 'http://127.0.0.1:9/hook', eventTypes: ['expense.created'] }, t));
  const delivery = ok('ping', await api.post(`/api/webhooks/${webhook._id}/ping`, {}, t));

  const ids: PathIds = {
    '/api/auth/sessions/{id}': { id: session.id },
    '/api/expenses/categories/{name}': { name: category },
    '/api/expenses/{id}': { id: expense._id },
    '/api/budgets/{id}': { id: budget._id },
    '/api/goals/{id}': { id: goal._id },
    '/api/goals/{id}/contribute': { id: goal._id },
    '/api/groups/{id}': { id: group._id },
    '/api/groups/{id}/settings': { id: group._id },
    '/api/groups/{id}/members': { id: group._id },
    '/api/groups/{id}/members/{memberId}': { id: group._id, memberId: member.id },
    '/api/groups/{id}/leave': { id: trip._id },
    '/api/groups/{id}/statistics': { id: group._id },
    '/api/groups/{id}/expenses': { id: group._id },
    '/api/groups/{id}/balances': { id: group._id },
    '/api/groups/{id}/settlements/suggested': { id: group._id },
    '/api/groups/{id}/settlements': { id: group._id },
    '/api/splits/{id}': { id: split._id },
    '/api/splits/{id}/pay': { id: split._id },
    '/api/splits/{id}/remind/{participantId}': { id: split._id, participantId: member.id },
    '/api/notifications/{id}/read': { id: notification._id },
    '/api/notifications/{id}': { id: notification._id },
    '/api/receipts/internal/{id}/file': { id: receipt._id },
    '/api/receipts/internal/{id}/reading': { id: receipt._id },
    '/api/receipts/expense/{expenseId}': { expenseId: expense._id },
    '/api/receipts/{id}': { id: receipt._id },
    '/api/receipts/{id}/file': { id: receipt._id },
    '/api/receipts/{id}/expense': { id: unlinked._id },
    '/api/recurring/{id}': { id: recurring._id },
    '/api/keys/{id}': { id: key._id },
    '/api/webhooks/{id}': { id: webhook._id },
    '/api/webhooks/{id}/rotate-secret': { id: webhook._id },
    '/api/webhooks/{id}/ping': { id: webhook._id },
    '/api/webhooks/{id}/deliveries': { id: webhook._id },
    '/api/webhooks/{id}/deliveries/{deliveryId}/redeliver': { id: webhook._id, deliveryId: delivery._id },
  };
  // Body fields that must name something that exists for a request to go through.
  const hints: Hints = {
    category: 'food',
    currency: 'EUR',
    from: 'EUR',
    to: 'USD',
    amount: 10,
    expenseId: expense._id,
    groupId: group._id,
    userId: member.id,
    fromUserId: member.id,
    toUserId: user.id,
    participantId: member.id,
    newAdminId: member.id,
    email: member.email,
    date: '2025-05-09',
    startDate: '2026-01-31',
  };
  return { user, ids, hints };
}

/** Path parameters that name no stored thing: a fixed choice, not someone's data. */
export const NOT_IDS: Record<string, Record<string, string>> = {
  '/api/analytics/spending/{period}': { period: 'monthly' },
};

export const json = (text: string) => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Every field the owner can read, through every GET route of the document that needs no more than their ids. */
export async function snapshot(app: App, doc: any, user: User, ids: PathIds) {
  const out: Record<string, { status: number; body: unknown }> = {};
  const reads = operationsOf(doc).filter((op: Operation) => op.method === 'GET' && op.auth === 'bearer' && !op.params.some((p) => p.required && p.in !== 'path'));
  for (const op of reads) {
    const values = { ...NOT_IDS[op.path], ...ids[op.path] };
    const path = fillPath(op, values);
    const res = await app.app.request(path, { headers: { authorization: `Bearer ${user.token}` } });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? json(await res.text()) : Buffer.from(await res.arrayBuffer()).toString('base64');
    out[path] = { status: res.status, body: mask(body) };
  }
  return out;
}

// Kept to the minute and moved by the suite's own requests, or each answer's own id (an error's
// requestId): not data the user wrote.
const VOLATILE = new Set(['lastSeenAt', 'requestId']);

function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, VOLATILE.has(k) ? '(volatile)' : mask(v)]));
  }
  return value;
}

/** Asks for the rates until the first load (started by the first ask) has finished. */
export async function ratesLoaded(app: App, token: string) {
  for (let i = 0; i < 100; i++) {
    if ((await app.api.get('/api/currency/rates', token)).status === 200) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('fixture: the exchange rates did not load');
}
