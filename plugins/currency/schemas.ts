import { z } from '@hono/zod-openapi';
import { isCurrency } from '../../core/money.ts';
import { CurrencyCode } from '../../core/schemas.ts';

export const RatesQuery = z.object({
  base: CurrencyCode.default('USD').openapi({ description: 'Base currency (default USD)' }),
  symbols: z
    .string()
    .max(400)
    .transform((s) => s.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean))
    .pipe(z.array(z.string().refine(isCurrency, 'must be ISO 4217 currency codes')).min(1))
    .optional()
    .openapi({ type: 'string', example: 'EUR,GBP,INR', description: 'Comma-separated target currencies (default: all)' }),
});

const LastUpdated = z.string().openapi({ example: '2025-05-09T15:05:00.000Z', description: 'When these rates were last fetched from the source' });
const RateDate = z.string().openapi({ example: '2025-05-09', description: 'The reference day (ECB) the rates are from' });

export const Rates = z
  .object({
    base: z.string().openapi({ example: 'USD' }),
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
    date: z.iso.date().optional().openapi({ description: 'Use the rate of this day (the newest on or before it); default: the newest' }),
  })
  .openapi('ConvertRequest');

export const Conversion = z
  .object({
    originalAmount: z.number().openapi({ example: 100 }),
    convertedAmount: z.number().openapi({ example: 88.87 }),
    exchangeRate: z.number().openapi({ example: 0.888731 }),
    from: z.string().openapi({ example: 'USD' }),
    to: z.string().openapi({ example: 'EUR' }),
    date: RateDate,
    lastUpdated: LastUpdated,
  })
  .openapi('Conversion');

export const SupportedCurrencies = z
  .object({
    date: RateDate,
    lastUpdated: LastUpdated,
    currencies: z.array(
      z.object({
        code: z.string().openapi({ example: 'JPY' }),
        name: z.string().openapi({ example: 'Yen' }),
        digits: z.number().int().openapi({ example: 0, description: 'ISO 4217 minor units' }),
      }),
    ),
  })
  .openapi('SupportedCurrencies');
