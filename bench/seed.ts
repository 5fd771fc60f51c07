import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { getTableColumns } from 'drizzle-orm';
import { v7 } from 'uuid';
import { BUILT_IN_CATEGORIES, PAYMENT_METHODS } from '../plugins/expenses/schemas.ts';
import { expenses } from '../plugins/expenses/tables.ts';
import { seal } from '../core/audit/chain.ts';
import { exchangeRates } from '../core/rates/tables.ts';

type NewExpense = typeof expenses.$inferInsert;

// The span of the 90-day ECB fixture, so that every expense has a rate day.
const FIRST_DAY = Date.parse('2025-02-06T00:00:00Z');
const LAST_DAY = Date.parse('2025-05-09T23:59:59Z');

// Mostly the display currency (USD), some others; JPY has no minor unit.
const CURRENCIES = [
  { code: 'USD', weight: 80, minorPerUnit: 100, maxUnits: 300 },
  { code: 'EUR', weight: 10, minorPerUnit: 100, maxUnits: 250 },
  { code: 'GBP', weight: 6, minorPerUnit: 100, maxUnits: 200 },
  { code: 'JPY', weight: 4, minorPerUnit: 1, maxUnits: 30_000 },
] as const;

const INCOME = new Set<string>(['salary', 'freelance', 'investment']);
const SPENDING = BUILT_IN_CATEGORIES.filter((c) => !INCOME.has(c));
const WORDS: Record<string, string[]> = {
  food: ['Groceries', 'Lunch', 'Coffee', 'Dinner out', 'Bakery'],
  transport: ['Metro card', 'Taxi', 'Fuel', 'Train ticket', 'Parking'],
  shopping: ['Shoes', 'Books', 'Headphones', 'Gift', 'Clothes'],
  entertainment: ['Cinema', 'Concert', 'Streaming', 'Museum'],
  utilities: ['Electricity', 'Water bill', 'Internet', 'Phone plan'],
  healthcare: ['Pharmacy', 'Dentist', 'Doctor visit'],
  education: ['Online course', 'Textbook', 'Workshop'],
  travel: ['Hotel', 'Flight', 'Car rental'],
  other: ['Misc', 'Donation', 'Repair'],
  salary: ['Monthly salary'],
  freelance: ['Client invoice', 'Consulting'],
  investment: ['Dividends', 'Interest'],
};
const MERCHANTS = ['Acme Market', 'City Transit', 'Corner Cafe', 'MegaStore', 'Tesco', 'Amazon', null, null];

/** Small deterministic PRNG (mulberry32): the same data on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Spread {
  /** First and last instant (ms) of the expenses' dates; the ECB fixture's span by default. */
  from: number;
  to: number;
  currencies: readonly { code: string; weight: number; minorPerUnit: number; maxUnits: number }[];
}

/** The heavy user of the planning bench: three years up to now, in three currencies. */
export const YEARS_IN_THREE_CURRENCIES = (now: number): Spread => ({
  from: now - 3 * 365 * 86_400_000,
  to: now,
  currencies: [
    { code: 'USD', weight: 60, minorPerUnit: 100, maxUnits: 300 },
    { code: 'EUR', weight: 25, minorPerUnit: 100, maxUnits: 250 },
    { code: 'GBP', weight: 15, minorPerUnit: 100, maxUnits: 200 },
  ],
});

export function makeExpenses(userId: string, count: number, spread: Spread = { from: FIRST_DAY, to: LAST_DAY, currencies: CURRENCIES }): NewExpense[] {
  const random = prng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const { from: FIRST_DAY, to: LAST_DAY, currencies: CURRENCIES } = spread;
  const totalWeight = CURRENCIES.reduce((s, c) => s + c.weight, 0);
  const rows: NewExpense[] = [];
  for (let i = 0; i < count; i++) {
    let w = random() * totalWeight;
    const currency = CURRENCIES.find((c) => (w -= c.weight) < 0) ?? CURRENCIES[0]!;
    const income = random() < 0.05;
    const category = income ? pick([...INCOME]) : pick(SPENDING);
    const at = FIRST_DAY + Math.floor(random() * (LAST_DAY - FIRST_DAY));
    const date = new Date(at).toISOString();
    // Entered within a day of the expense itself.
    const created = new Date(at + Math.floor(random() * 86_400_000));
    rows.push({
      id: v7({ msecs: created.getTime() }),
      userId,
      description: pick(WORDS[category]!),
      amountMinor: 1 + Math.floor(random() * currency.maxUnits * currency.minorPerUnit),
      currency: currency.code,
      minorPerUnit: currency.minorPerUnit,
      category,
      type: income ? 'income' : 'expense',
      date,
      notes: random() < 0.1 ? 'Seeded by bench/run.ts' : null,
      tags: random() < 0.2 ? [pick(['work', 'family', 'trip', 'recurring'])] : [],
      merchant: pick(MERCHANTS),
      paymentMethod: pick([...PAYMENT_METHODS, null]),
      createdAt: created.toISOString(),
      updatedAt: created.toISOString(),
    });
  }
  return rows;
}

/** Writes the rows into the server's SQLite file with a client of its own: one batch (one transaction). */
export async function insertExpenses(databaseUrl: string, rows: NewExpense[]): Promise<void> {
  const client = createClient({ url: databaseUrl });
  try {
    // The server holds the file in WAL mode; wait for its writes rather than fail on SQLITE_BUSY.
    await client.execute('PRAGMA busy_timeout = 5000');
    const db = drizzle(client);
    // SQLite binds at most 32,766 values per statement.
    const perStatement = Math.floor(32_766 / Object.keys(getTableColumns(expenses)).length);
    const statements = [];
    for (let i = 0; i < rows.length; i += perStatement) {
      statements.push(db.insert(expenses).values(rows.slice(i, i + perStatement)));
    }
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
  } finally {
    client.close();
  }
}

/**
 * Seals the audit rows the seeding wrote (core/audit/chain.ts), as the server's audit.seal job
 * would at its next minute. Done before any measurement: that job hashing 100,000 and more rows
 * would otherwise be measured as part of whichever row ran at that minute. Returns how many.
 */
export async function sealSeeded(databaseUrl: string): Promise<number> {
  const client = createClient({ url: databaseUrl });
  try {
    await client.execute('PRAGMA busy_timeout = 5000');
    return await seal(drizzle(client));
  } finally {
    client.close();
  }
}

/**
 * Reference rates for every day from `from` to `to` (EUR-based, as the ECB's), a slow random
 * walk around today's levels: the bench's stand-in for years of history the fixture lacks.
 * Days the server already holds (the fixture's) are kept.
 */
export async function insertRates(databaseUrl: string, from: number, to: number, currencies: readonly string[]): Promise<number> {
  const random = prng(7);
  const level: Record<string, number> = { USD: 1.1, GBP: 0.85, JPY: 160 };
  const rows: { currency: string; date: string; rate: number; fetchedAt: string }[] = [];
  const fetchedAt = new Date().toISOString();
  for (let t = from - 86_400_000; t <= to; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    rows.push({ currency: 'EUR', date, rate: 1, fetchedAt });
    for (const code of currencies.filter((c) => c !== 'EUR')) {
      level[code] = (level[code] ?? 1) * (1 + (random() - 0.5) * 0.01);
      rows.push({ currency: code, date, rate: Number(level[code]!.toPrecision(6)), fetchedAt });
    }
  }
  const client = createClient({ url: databaseUrl });
  try {
    await client.execute('PRAGMA busy_timeout = 5000');
    const db = drizzle(client);
    const perStatement = Math.floor(32_766 / 4);
    const statements = [];
    for (let i = 0; i < rows.length; i += perStatement) {
      statements.push(db.insert(exchangeRates).values(rows.slice(i, i + perStatement)).onConflictDoNothing());
    }
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
  } finally {
    client.close();
  }
  return rows.length;
}
