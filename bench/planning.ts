/**
 * The planning reads (budgets, dashboard) for one heavy user: 100,000 expenses over three
 * years in three currencies, 20 budgets, the Europe/Berlin time zone (so every period starts
 * off UTC midnight and the partial-day path is exercised). No cache sits in front of either.
 */
import { insertExpenses, insertRates, makeExpenses, YEARS_IN_THREE_CURRENCIES } from './seed.ts';
import type { Scenario } from './load.ts';

export const HEAVY_EXPENSES = 100_000;
export const BUDGETS = 'GET /api/budgets (20 budgets)';
export const DASHBOARD = 'GET /api/analytics/dashboard';
export const TARGET_P99_MS = { [BUDGETS]: 50, [DASHBOARD]: 100 } as const;

type Api = (path: string, init?: RequestInit & { token?: string }) => Promise<{ status: number; body: unknown }>;

const CATEGORIES = ['food', 'transport', 'shopping', 'entertainment', 'utilities', 'healthcare', 'education', 'travel', 'other'];

/** What a user who plans keeps: mostly monthly budgets per category, a few weekly, quarterly and yearly ones. */
const budgets = [
  ...CATEGORIES.map((category) => ({ name: `Monthly ${category}`, category, amount: 800, period: 'monthly' })),
  ...CATEGORIES.slice(0, 4).map((category) => ({ name: `Weekly ${category}`, category, amount: 200, period: 'weekly' })),
  { name: 'Everything this month', amount: 9000, period: 'monthly' },
  { name: 'Travel in euros', category: 'travel', amount: 700, period: 'monthly', currency: 'EUR' },
  { name: 'Food in euros', category: 'food', amount: 700, period: 'monthly', currency: 'EUR' },
  { name: 'Quarter', amount: 27_000, period: 'quarterly' },
  { name: 'Quarterly shopping', category: 'shopping', amount: 3000, period: 'quarterly' },
  { name: 'Year', amount: 100_000, period: 'yearly' },
  { name: 'Yearly travel', category: 'travel', amount: 10_000, period: 'yearly' },
];

const ms = (since: number) => `${(performance.now() - since).toFixed(0)} ms`;

export async function setUpHeavyUser(api: Api, databaseUrl: string): Promise<string> {
  const reg = await api('/api/auth/register', {
    method: 'POST',
    body: JSON.stringify({ name: 'Heavy User', email: 'heavy@example.com', password: 'bench-password-1' }),
  });
  if (reg.status !== 201) throw new Error(`register heavy user: ${reg.status} ${JSON.stringify(reg.body)}`);
  const { token, user } = reg.body as { token: string; user: { id: string } };
  const tz = await api('/api/auth/me', { method: 'PATCH', token, body: JSON.stringify({ settings: { timeZone: 'Europe/Berlin' } }) });
  if (tz.status !== 200) throw new Error(`time zone: ${tz.status} ${JSON.stringify(tz.body)}`);

  const spread = YEARS_IN_THREE_CURRENCIES(Date.now());
  let t = performance.now();
  await insertExpenses(databaseUrl, makeExpenses(user.id, HEAVY_EXPENSES, spread));
  const days = await insertRates(databaseUrl, spread.from, spread.to, spread.currencies.map((c) => c.code));
  // The seeding held this process's event loop for seconds: let the HTTP client's overdue
  // timers retire the sockets the server has closed meanwhile (its keep-alive timeout is 5 s).
  await new Promise((resolve) => setTimeout(resolve, 50));
  console.log(`heavy user: ${HEAVY_EXPENSES} expenses over three years in ${spread.currencies.map((c) => c.code).join(', ')} and ${days} rate rows in ${ms(t)}`);

  t = performance.now();
  for (const budget of budgets) {
    const res = await api('/api/budgets', { method: 'POST', token, body: JSON.stringify(budget) });
    if (res.status !== 201) throw new Error(`budget ${budget.name}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const list = await api('/api/budgets', { token });
  const dashboard = await api('/api/analytics/dashboard', { token });
  const shown = list.body as { spent: number; pendingCount: number }[];
  if (list.status !== 200 || shown.length !== budgets.length || dashboard.status !== 200) {
    throw new Error(`planning check failed: budgets ${list.status} (${Array.isArray(shown) ? shown.length : '?'}), dashboard ${dashboard.status}`);
  }
  const d = dashboard.body as { totalBalance: number; pendingConversions: number; monthlyTrend: unknown[] };
  console.log(
    `${budgets.length} budgets in ${ms(t)}; ${shown.filter((b) => b.spent > 0).length} with spending this period; dashboard: balance ${d.totalBalance}, ${d.monthlyTrend.length} months, ${d.pendingConversions} pending`,
  );
  return token;
}

/** One connection: a user's own client, so p99 is the request's own time, not a queue behind 49 others. */
export const planningScenarios = (token: string): Scenario[] => [
  { name: BUDGETS, path: '/api/budgets', headers: { authorization: `Bearer ${token}` }, connections: 1 },
  { name: DASHBOARD, path: '/api/analytics/dashboard', headers: { authorization: `Bearer ${token}` }, connections: 1 },
];
