import { sql } from 'drizzle-orm';
import { currencyInfo } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import { conversionFactorSql } from '../../core/rates/service.ts';
import type { SpendingService, SpendingTotal } from '../../core/services.ts';
import { expenses } from './tables.ts';

export const MAX_WINDOWS = 400;

/**
 * The `spending` service (core/services.ts): totals over the user's expenses, in SQL.
 *
 * Expenses are first summed per window, type, group, currency and rate day, so the exchange
 * rate is looked up once per currency and day, not once per expense (100,000 expenses over
 * three years in three currencies make a few thousand lookups). The rate day is the expense's
 * UTC date, as in every other read (conversionFactorSql). The windows are a VALUES table
 * walked first (CROSS JOIN keeps that order), each one a range of the (user, date) index,
 * which also covers every column summed here: no table row is read.
 */
export const spending = (platform: Platform): SpendingService => ({
  async totals(query) {
    if (query.windows.length === 0) return [];
    if (query.windows.length > MAX_WINDOWS) throw new RangeError(`at most ${MAX_WINDOWS} windows`);
    const info = currencyInfo(query.currency);
    if (!info) throw new RangeError(`unknown currency ${query.currency}`);

    const windows = sql.join(
      query.windows.map((w) => sql`(${w.key}, ${w.from}, ${w.to}, ${w.category ?? null})`),
      sql`, `,
    );
    const group = { category: sql`e.category`, merchant: sql`e.merchant`, none: sql`null` }[query.groupBy ?? 'none'];
    const type = query.type ? sql`and e.type = ${query.type}` : sql``;
    const totals = sql`
      with w(k, f, t, cat) as (values ${windows}),
      g as (
        select w.k, e.type, ${group} as grp, e.currency, substr(e.date, 1, 10) as day,
          sum(e.amount_minor) as minor, max(e.minor_per_unit) as mpu, count(*) as n
        from w cross join ${expenses} e
        where e.user_id = ${query.userId} and e.date >= w.f and e.date < w.t
          and (w.cat is null or e.category = w.cat) ${type}
        group by w.k, e.type, grp, e.currency, day
      ),
      fx as (
        select d.currency, d.day,
          case when d.currency = ${query.currency} then 1.0
          else ${conversionFactorSql(sql`d.currency`, query.currency, sql`d.day`)} end as factor
        from (select distinct currency, day from g) d
      )
      select g.k as key, g.type as type, g.grp as grp,
        round(sum(case when fx.factor is null then 0 else g.minor * fx.factor / g.mpu end), ${info.digits}) as amount,
        sum(case when fx.factor is null then 0 else g.n end) as count,
        sum(case when fx.factor is null then g.n else 0 end) as pending
      from g join fx on fx.currency = g.currency and fx.day = g.day
      group by g.k, g.type, g.grp`;
    const ranked =
      query.groupBy && query.top !== undefined
        ? sql`select * from (select *, row_number() over (partition by key, type order by amount desc, grp) as rank from (${totals})) where rank <= ${query.top}`
        : totals;
    const rows = await platform.db.all<{ key: string; type: 'expense' | 'income'; grp: string | null; amount: number; count: number; pending: number }>(
      ranked,
    );
    return rows.map(
      (r): SpendingTotal => ({ key: r.key, type: r.type, group: r.grp, amount: r.amount, count: r.count, pendingCount: r.pending }),
    );
  },
});
