import { AppError } from '../../core/http/errors.ts';
import { convertMinor, currencyInfo, fromMinor, toMinor } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import type { StoredDay } from '../../core/rates/service.ts';

/** Ratios of two ECB rates carry float noise past the source's precision: 6 significant digits. */
const significant = (n: number) => Number(n.toPrecision(6));

/** Called when no rate is held, e.g. to start loading them; answers the seconds to retry after. */
export type WhenNoRates = () => number;

async function latestOr503(platform: Platform, whenNoRates?: WhenNoRates): Promise<StoredDay> {
  const day = await platform.rates.latest();
  if (!day) {
    throw new AppError('RATES_UNAVAILABLE', 'Exchange rates have not been loaded yet; try again later', undefined, {
      'Retry-After': String(whenNoRates?.() ?? 300),
    });
  }
  return day;
}

const unsupported = (code: string, path: string) =>
  new AppError('UNKNOWN_CURRENCY', `No exchange rate is published for ${code}`, [{ path, message: 'has no reference rate' }]);

export async function rates(platform: Platform, base: string, symbols?: string[], whenNoRates?: WhenNoRates) {
  const day = await latestOr503(platform, whenNoRates);
  const baseRate = day.rates[base];
  if (baseRate === undefined) throw unsupported(base, 'query.base');
  for (const s of symbols ?? []) if (day.rates[s] === undefined) throw unsupported(s, 'query.symbols');
  const targets = (symbols ?? Object.keys(day.rates).sort()).filter((c) => c !== base);
  return {
    base,
    date: day.date,
    rates: Object.fromEntries(targets.map((c) => [c, significant(day.rates[c]! / baseRate)])),
    lastUpdated: day.fetchedAt,
  };
}

export async function convert(
  platform: Platform,
  input: { amount: number; from: string; to: string; date?: string },
  whenNoRates?: WhenNoRates,
) {
  const minor = toMinor(input.amount, input.from);
  const day = await latestOr503(platform, whenNoRates);
  if (day.rates[input.from] === undefined) throw unsupported(input.from, 'from');
  if (day.rates[input.to] === undefined) throw unsupported(input.to, 'to');
  const pair = await platform.rates.pair(input.from, input.to, input.date ?? day.date);
  if (!pair) {
    throw new AppError('VALIDATION_FAILED', 'No rate is held for that date', [
      { path: 'date', message: 'is before the oldest rate held for these currencies' },
    ]);
  }
  return {
    originalAmount: fromMinor(minor, input.from),
    convertedAmount: fromMinor(convertMinor(minor, input.from, input.to, pair.rate), input.to),
    exchangeRate: significant(pair.rate),
    from: input.from,
    to: input.to,
    date: pair.date,
    lastUpdated: day.fetchedAt,
  };
}

export async function supported(platform: Platform, whenNoRates?: WhenNoRates) {
  const day = await latestOr503(platform, whenNoRates);
  return {
    date: day.date,
    lastUpdated: day.fetchedAt,
    currencies: Object.keys(day.rates)
      .sort()
      .flatMap((code) => {
        const info = currencyInfo(code);
        return info ? [{ code, name: info.name, digits: info.digits }] : [];
      }),
  };
}
