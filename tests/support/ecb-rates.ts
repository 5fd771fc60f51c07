import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The reference rates of tests/fixtures/ecb read straight from the file, to check conversions
 * without the app's rate tables or SQL: a test's own, independent answer.
 */
const xml = readFileSync(fileURLToPath(new URL('../fixtures/ecb/eurofxref-hist-90d.xml', import.meta.url)), 'utf8');

/** EUR-based rates by day (YYYY-MM-DD), newest first. */
const days: { day: string; rates: Map<string, number> }[] = [...xml.matchAll(/<Cube time="([\d-]+)">([\s\S]*?)<\/Cube>/g)].map(
  ([, day, body]) => ({
    day: day!,
    rates: new Map([['EUR', 1], ...[...body!.matchAll(/currency='(\w+)' rate='([\d.]+)'/g)].map(([, c, r]) => [c!, Number(r)] as [string, number])]),
  }),
);

export const FIRST_RATE_DAY = days.at(-1)!.day;
export const LAST_RATE_DAY = days[0]!.day;

/**
 * Units of `to` per unit of `from` on the newest reference day on or before `day` (a weekend
 * uses Friday's), or null before the first day held: what the API calls a pending conversion.
 */
export function factor(from: string, to: string, day: string): number | null {
  if (from === to) return 1;
  const held = days.find((d) => d.day <= day && d.rates.has(from) && d.rates.has(to));
  return held ? held.rates.get(to)! / held.rates.get(from)! : null;
}
