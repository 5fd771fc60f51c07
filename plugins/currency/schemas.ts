import { z } from '@hono/zod-openapi';
import { isCurrency, MAX_CURRENCIES } from '../../core/money.ts';
import { CurrencyCode, Instant, Integer } from '../../core/schemas.ts';

export const RatesQuery = z.object({
  base: CurrencyCode.default('USD').openapi({ description: 'Base currency (default USD)' }),
  symbols: z
    .string()
    .max(400)
    .transform((s) => s.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean))
    .pipe(z.array(z.string().refine(isCurrency, 'must be ISO 4217 currency codes')).min(1))
    .optional()
    .openapi({ type: 'string', maxLength: 400, example: 'EUR,GBP,INR', description: 'Comma-separated target currencies (default: all)' }),
});

const LastUpdated = Instant.openapi({ example: '2025-05-09T15:05:00.000Z', description: 'When these rates were last fetched from the source' });
const RateDate = z.string().max(10).openapi({ example: '2025-05-09', description: 'The reference day (ECB) the rates are from' });
const Code = z.string().length(3);

export const Rates = z
  .object({
    base: Code.openapi({ example: 'USD' }),
    date: RateDate,
    rates: z.record(z.string(), z.number()).openapi({ example: { EUR: 0.88873, GBP: 0.753377, INR: 85.3853 } }),
    lastUpdated: LastUpdated,
  })
  .openapi('ExchangeRates');

export const ConvertBody = z
  .object({
    amount: z.number().positive().lt(1e12).openapi({ example: 100 }),
    from: CurrencyCode,
    to: CurrencyCode.openapi({ example: 'EUR' }),
    // maxLength as budgets and goals say it: the format admits exactly 10 characters.
    date: z.iso.date().optional().openapi({ maxLength: 10, description: 'Use the rate of this day (the newest on or before it); default: the newest' }),
  })
  .openapi('ConvertRequest');

export const Conversion = z
  .object({
    originalAmount: z.number().openapi({ example: 100 }),
    convertedAmount: z.number().openapi({ example: 88.87 }),
    exchangeRate: z.number().openapi({ example: 0.888731 }),
    from: Code.openapi({ example: 'USD' }),
    to: Code.openapi({ example: 'EUR' }),
    date: RateDate,
    lastUpdated: LastUpdated,
  })
  .openapi('Conversion');

export const SupportedCurrencies = z
  .object({
    date: RateDate,
    lastUpdated: LastUpdated,
    currencies: z
      .array(
        z.object({
          code: Code.openapi({ example: 'JPY' }),
          name: z.string().max(100).openapi({ example: 'Yen' }),
          digits: Integer(0, 4).openapi({ example: 0, description: 'ISO 4217 minor units' }),
        }),
      )
      .max(MAX_CURRENCIES),
  })
  .openapi('SupportedCurrencies');
