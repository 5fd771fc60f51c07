import { asc, gt } from 'drizzle-orm';
import { users } from '../../core/auth/tables.ts';
import { lastPeriods, localDay } from '../../core/calendar.ts';
import type { JobDefinition } from '../../core/jobs.ts';
import { errorFields } from '../../core/logger.ts';
import type { Platform } from '../../core/platform.ts';
import type { SpendingTotal } from '../../core/services.ts';
import { deliver } from './deliver.ts';
import { money, type NotificationDraft } from './templates.ts';
import { weeklySummaries } from './tables.ts';

const USERS_PER_PAGE = 200;

interface User {
  id: string;
  currency: string;
  timeZone: string;
}

/**
 * Monday 08:00 UTC: each user with expenses or income in their last whole week (Monday to
 * Monday in their time zone) gets a summary: spent and received, the top categories, the week
 * before. The numbers come from the expenses plugin's `spending` service (never its tables);
 * a `weekly_summary` row per user and week keeps a second run from sending it again.
 */
export const weeklySummary: JobDefinition = {
  name: 'notifications.weekly-summary',
  cron: '0 8 * * 1',
  leaseMs: 10 * 60_000,
  async run({ platform, signal }) {
    let sent = 0;
    let after = '';
    for (;;) {
      if (signal.aborted) break;
      const page = await platform.db
        .select({ id: users.id, currency: users.currency, timeZone: users.timeZone })
        .from(users)
        .where(gt(users.id, after))
        .orderBy(asc(users.id))
        .limit(USERS_PER_PAGE);
      for (const user of page) {
        try {
          if (await summarise(platform, user)) sent++;
        } catch (err) {
          // One user's failure (an unknown zone, a busy moment) does not hold up the others.
          platform.logger.warn('weekly summary failed for a user', { userId: user.id, ...errorFields(err, { stack: false }) });
        }
      }
      if (page.length < USERS_PER_PAGE) break;
      after = page.at(-1)!.id;
    }
    return sent;
  },
};

async function summarise(platform: Platform, user: User): Promise<boolean> {
  const [before, last] = lastPeriods('week', platform.clock.now(), 3, user.timeZone);
  const week = localDay(last!.start, user.timeZone);
  const totals = await platform.services.spending.totals({
    userId: user.id,
    currency: user.currency,
    windows: [
      { key: 'last', from: last!.start.toISOString(), to: last!.end.toISOString() },
      { key: 'before', from: before!.start.toISOString(), to: before!.end.toISOString() },
    ],
  });
  const lastTotals = totals.filter((t) => t.key === 'last');
  if (lastTotals.every((t) => t.count === 0 && t.pendingCount === 0)) return false;
  const top = await platform.services.spending.totals({
    userId: user.id,
    currency: user.currency,
    type: 'expense',
    groupBy: 'category',
    top: 3,
    windows: [{ key: 'last', from: last!.start.toISOString(), to: last!.end.toISOString() }],
  });
  // Claimed first: a second run (by hand, another process after this one) finds the row and skips.
  const claimed = await platform.db
    .insert(weeklySummaries)
    .values({ userId: user.id, week, createdAt: platform.clock.now().toISOString() })
    .onConflictDoNothing()
    .returning({ week: weeklySummaries.week });
  if (claimed.length === 0) return false;
  await deliver(platform, user.id, draft(user.currency, week, localDay(new Date(last!.end.getTime() - 1), user.timeZone), totals, top));
  return true;
}

const sum = (totals: SpendingTotal[], key: string, type: 'expense' | 'income') => {
  const t = totals.find((x) => x.key === key && x.type === type);
  return { amount: t?.amount ?? 0, count: t?.count ?? 0, pending: t?.pendingCount ?? 0 };
};

export function draft(currency: string, from: string, to: string, totals: SpendingTotal[], top: SpendingTotal[]): NotificationDraft {
  const spent = sum(totals, 'last', 'expense');
  const received = sum(totals, 'last', 'income');
  const previous = sum(totals, 'before', 'expense');
  const lines = [
    `From ${from} to ${to} you spent ${money(spent.amount, currency)} in ${spent.count} expense${spent.count === 1 ? '' : 's'} and received ${money(received.amount, currency)}.`,
  ];
  if (top.length > 0) lines.push(`Most of it went to ${top.map((t) => `${t.group} (${money(t.amount, currency)})`).join(', ')}.`);
  lines.push(`The week before you spent ${money(previous.amount, currency)}.`);
  if (spent.pending + received.pending > 0) lines.push(`${spent.pending + received.pending} in other currencies wait for an exchange rate and are not counted yet.`);
  return {
    type: 'weekly_summary',
    title: `Your week: ${money(spent.amount, currency)} spent`,
    message: lines.join('\n\n'),
    data: { from, to, currency, spent: spent.amount, expenses: spent.count, received: received.amount, previousSpent: previous.amount },
  };
}
