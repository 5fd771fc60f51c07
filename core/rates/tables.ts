import { index, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * ECB reference rates by day: `rate` units of `currency` for 1 EUR. EUR itself is stored as 1
 * on every day so that a conversion between any two currencies is one join on the date.
 */
export const exchangeRates = sqliteTable(
  'exchange_rate',
  {
    currency: text('currency').notNull(),
    date: text('date').notNull(),
    rate: real('rate').notNull(),
    fetchedAt: text('fetched_at').notNull(),
  },
  (t) => [primaryKey({ name: 'exchange_rate_pk', columns: [t.currency, t.date] }), index('exchange_rate_date_idx').on(t.date)],
);
