import { and, desc, eq, lte, sql, type Placeholder, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client.ts';
import { parseEcbXml, type RateDay } from './ecb.ts';
import { exchangeRates } from './tables.ts';

export interface StoredDay extends RateDay {
  /** When this day was last fetched from the source. */
  fetchedAt: string;
}

export interface PairRate {
  date: string;
  /** Units of `to` for one unit of `from`. */
  rate: number;
}

export interface RatesPort {
  /** The newest reference day held, or null when no rate was ever loaded. */
  latest(): Promise<StoredDay | null>;
  /** The newest day on or before `date` on which both currencies have a rate. */
  pair(from: string, to: string, date: string): Promise<PairRate | null>;
  /** Fetches the source (and the history when there is a gap) and stores every day. */
  refresh(options?: { history?: boolean }): Promise<{ days: number; newest: string }>;
  /**
   * Changes when the rates held change: a key for cached conversions. Read from the database
   * at most once a STAMP_TTL_MS (another process may have loaded rates), at once after a local refresh.
   */
  stamp(): Promise<string>;
}

const STAMP_TTL_MS = 60_000;

export interface RatesSource {
  dailyUrl: string;
  historyUrl: string;
  fetchText(url: string): Promise<string>;
  now(): Date;
}

const f = alias(exchangeRates, 'rate_from');
const t = alias(exchangeRates, 'rate_to');

/**
 * SQL for "units of `to` per unit of the currency in `fromColumn`" on the newest day on or
 * before `dateExpr`; NULL when no such day is held. Both rates come from the same day.
 */
export function conversionFactorSql(fromColumn: SQLWrapper, to: string | Placeholder, dateExpr: SQLWrapper): SQL<number | null> {
  return sql<number | null>`(select t.rate / f.rate from ${exchangeRates} f join ${exchangeRates} t on t.currency = ${to} and t.date = f.date where f.currency = ${fromColumn} and f.date <= ${dateExpr} order by f.date desc limit 1)`;
}

// Rows per insert statement: four bound values each, well under SQLite's 32,766.
const CHUNK = 2000;

export function createRates(db: Database, source: RatesSource): RatesPort {
  async function save(days: RateDay[]): Promise<void> {
    const fetchedAt = source.now().toISOString();
    const rows = days.flatMap((d) =>
      [...Object.entries(d.rates), ['EUR', 1] as const].map(([currency, rate]) => ({ currency, date: d.date, rate, fetchedAt })),
    );
    const statements = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      statements.push(
        db
          .insert(exchangeRates)
          .values(rows.slice(i, i + CHUNK))
          .onConflictDoUpdate({
            target: [exchangeRates.currency, exchangeRates.date],
            set: { rate: sql`excluded.rate`, fetchedAt: sql`excluded.fetched_at` },
          }),
      );
    }
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
  }

  async function newestDate(): Promise<string | null> {
    const [row] = await db.select({ date: exchangeRates.date }).from(exchangeRates).orderBy(desc(exchangeRates.date)).limit(1);
    return row?.date ?? null;
  }

  let stamp: { value: string; readAt: number } | undefined;

  return {
    async stamp() {
      const now = source.now().getTime();
      if (stamp && now - stamp.readAt < STAMP_TTL_MS) return stamp.value;
      const [row] = await db
        .select({ days: sql<number>`count(distinct ${exchangeRates.date})`, newest: sql<string | null>`max(${exchangeRates.date})` })
        .from(exchangeRates);
      stamp = { value: `${row?.days ?? 0}:${row?.newest ?? ''}`, readAt: now };
      return stamp.value;
    },

    async latest() {
      const rows = await db
        .select()
        .from(exchangeRates)
        .where(eq(exchangeRates.date, sql`(select max(${exchangeRates.date}) from ${exchangeRates})`));
      if (rows.length === 0) return null;
      return {
        date: rows[0]!.date,
        fetchedAt: rows.reduce((max, r) => (r.fetchedAt > max ? r.fetchedAt : max), ''),
        rates: Object.fromEntries(rows.map((r) => [r.currency, r.rate])),
      };
    },

    async pair(from, to, date) {
      const [row] = await db
        .select({ date: f.date, rate: sql<number>`${t.rate} / ${f.rate}` })
        .from(f)
        .innerJoin(t, and(eq(t.currency, to), eq(t.date, f.date)))
        .where(and(eq(f.currency, from), lte(f.date, date)))
        .orderBy(desc(f.date))
        .limit(1);
      return row ?? null;
    },

    async refresh(options = {}) {
      const daily = parseEcbXml(await source.fetchText(source.dailyUrl));
      const newest = daily[0]!.date;
      const held = await newestDate();
      // Backfill when nothing is held or the last day held is more than a week behind.
      const gap = !held || Date.parse(newest) - Date.parse(held) > 7 * 86_400_000;
      const history = options.history || gap ? parseEcbXml(await source.fetchText(source.historyUrl)) : [];
      // One row per day: the daily file and the history overlap on their newest days.
      const days = [...new Map([...history, ...daily].map((d) => [d.date, d])).values()];
      await save(days);
      stamp = undefined;
      return { days: days.length, newest };
    },
  };
}
