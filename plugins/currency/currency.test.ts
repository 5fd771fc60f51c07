import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { startRatesServer } from '../../tests/support/rates-server.ts';

// From tests/fixtures/ecb (the ECB's files): 2025-05-09, units per EUR.
const USD = 1.1252;
const GBP = 0.8477;
const INR = 96.0755;
const JPY = 163.36;

describe('currency', async () => {
  const rates = await startRatesServer();
  let now = new Date('2025-05-09T18:00:00Z');
  const { api, platform } = await createTestApp({ rates, clock: { now: () => now } });
  const { token } = await api.register();

  describe('before any rate is loaded', async () => {
    // Its own app and clock: a source that answers 404, counted by the stand-in's hits.
    let at = new Date('2025-05-09T18:00:00Z');
    const missing = await createTestApp({
      rates: { dailyUrl: `${rates.baseUrl}/missing.xml`, historyUrl: `${rates.baseUrl}/missing-too.xml` },
      clock: { now: () => at },
    });
    const user = await missing.api.register();
    const ratesStatus = () => missing.api.get('/api/currency/rates', user.token);
    /** Asks until Retry-After says `seconds`: 2 while a load is under way, the back-off left after one failed. */
    const untilRetryAfter = async (seconds: string) => {
      let res = await ratesStatus();
      for (let i = 0; i < 50 && res.headers.get('retry-after') !== seconds; i++) {
        await new Promise((r) => setTimeout(r, 100));
        res = await ratesStatus();
      }
      return res.headers.get('retry-after');
    };

    it('answers 503 with a clear message and a short Retry-After on every rates route', async () => {
      const answers = [
        await missing.api.get('/api/currency/rates', user.token),
        await missing.api.get('/api/currency/supported', user.token),
        await missing.api.post('/api/currency/convert', { amount: 100, from: 'USD', to: 'EUR' }, user.token),
      ];
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ success: false, code: 'RATES_UNAVAILABLE', error: expect.stringMatching(/not been loaded/) });
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(2);
        expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(5);
      }
      // The first started a load.
      expect(answers[0]!.headers.get('retry-after')).toBe('2');
    });

    it('after a failed load waits 5 s, then 10 s, before the next', async () => {
      expect(await untilRetryAfter('5')).toBe('5');
      expect(rates.hits.get('missing.xml')).toBe(1);
      at = new Date(at.getTime() + 1000);
      expect((await ratesStatus()).headers.get('retry-after')).toBe('4');
      expect(rates.hits.get('missing.xml')).toBe(1);

      at = new Date(at.getTime() + 4000);
      expect((await ratesStatus()).headers.get('retry-after')).toBe('2');
      expect(await untilRetryAfter('10')).toBe('10');
      expect(rates.hits.get('missing.xml')).toBe(2);
    });
  });

  describe('a load that does not come back', async () => {
    // A source that takes every request and never answers (on Workers, a load cancelled with its request).
    const held: ServerResponse[] = [];
    const silent = createServer((_req, res) => held.push(res));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    let at = new Date('2025-05-09T18:00:00Z');
    const stuck = await createTestApp({ rates: { dailyUrl: `${base}/daily.xml`, historyUrl: `${base}/hist.xml` }, clock: { now: () => at } });
    const user = await stuck.api.register();
    const ask = () => stuck.api.get('/api/currency/rates', user.token);
    const untilHeld = async (n: number) => {
      for (let i = 0; i < 50 && held.length < n; i++) await new Promise((r) => setTimeout(r, 100));
      return held.length;
    };

    it('counts as lost after a minute: the next request starts another', async () => {
      expect((await ask()).headers.get('retry-after')).toBe('2');
      expect(await untilHeld(1)).toBe(1);
      at = new Date(at.getTime() + 59_000);
      expect((await ask()).headers.get('retry-after')).toBe('2');
      at = new Date(at.getTime() + 2_000);
      expect((await ask()).headers.get('retry-after')).toBe('2');
      expect(await untilHeld(2)).toBe(2);
      for (const res of held) res.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
  });

  describe('a first request with a reachable source', async () => {
    const source = await startRatesServer();
    const fresh = await createTestApp({ rates: source });
    const user = await fresh.api.register();

    it('loads the rates in the background: 200 without any job run', async () => {
      const first = await fresh.api.get('/api/currency/rates', user.token);
      expect(first.status).toBe(503);
      let res = first;
      for (let i = 0; i < 50 && res.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        res = await fresh.api.get('/api/currency/rates?base=EUR&symbols=USD', user.token);
      }
      expect(res.body).toMatchObject({ base: 'EUR', date: '2025-05-09', rates: { USD: USD } });
      expect(source.hits.get('eurofxref-daily.xml')).toBe(1);
      await source.close();
    });
  });

  describe('happy', () => {
    it('loads the daily file and the 90-day history on the first run of the job', async () => {
      await platform.jobs.run('currency.refresh', 'cron');
      expect(rates.hits.get('eurofxref-daily.xml')).toBe(1);
      expect(rates.hits.get('eurofxref-hist-90d.xml')).toBe(1);
    });

    it('gives rates re-based on USD by default, with their day and lastUpdated', async () => {
      const res = await api.get('/api/currency/rates?symbols=EUR,GBP,INR', token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        base: 'USD',
        date: '2025-05-09',
        rates: {
          EUR: Number((1 / USD).toPrecision(6)),
          GBP: Number((GBP / USD).toPrecision(6)),
          INR: Number((INR / USD).toPrecision(6)),
        },
        lastUpdated: '2025-05-09T18:00:00.000Z',
      });
    });

    it('gives every currency for another base', async () => {
      const res = await api.get('/api/currency/rates?base=eur', token);
      expect(res.body.base).toBe('EUR');
      expect(Object.keys(res.body.rates)).toHaveLength(30);
      expect(res.body.rates.JPY).toBe(JPY);
    });

    it('converts at the newest rate, rounded to the target currency', async () => {
      const res = await api.post('/api/currency/convert', { amount: 100, from: 'USD', to: 'JPY' }, token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        originalAmount: 100,
        convertedAmount: Math.round((100 * JPY) / USD),
        exchangeRate: Number((JPY / USD).toPrecision(6)),
        from: 'USD',
        to: 'JPY',
        date: '2025-05-09',
        lastUpdated: '2025-05-09T18:00:00.000Z',
      });
    });

    it('converts at a past day: the newest rate on or before it', async () => {
      // Sunday 2025-05-04 → Friday 2025-05-02 (USD 1.1343).
      const res = await api.post('/api/currency/convert', { amount: 50, from: 'EUR', to: 'USD', date: '2025-05-04' }, token);
      expect(res.body).toMatchObject({ date: '2025-05-02', exchangeRate: 1.1343, convertedAmount: 56.72 });
    });

    it('lists the supported currencies with their ISO names and decimals', async () => {
      const res = await api.get('/api/currency/supported', token);
      expect(res.body.currencies).toHaveLength(31);
      expect(res.body.currencies).toContainEqual({ code: 'JPY', name: 'Yen', digits: 0 });
      expect(res.body.currencies).toContainEqual({ code: 'EUR', name: 'Euro', digits: 2 });
    });

    it('does not fetch again at start-up while the rates are fresh, and does when stale', async () => {
      now = new Date('2025-05-09T20:00:00Z');
      await platform.jobs.run('currency.refresh', 'startup');
      expect(rates.hits.get('eurofxref-daily.xml')).toBe(1);
      now = new Date('2025-05-10T08:00:00Z');
      await platform.jobs.run('currency.refresh', 'startup');
      expect(rates.hits.get('eurofxref-daily.xml')).toBe(2);
      // Nothing was missing: the history is not fetched again.
      expect(rates.hits.get('eurofxref-hist-90d.xml')).toBe(1);
      expect((await api.get('/api/currency/rates', token)).body.lastUpdated).toBe('2025-05-10T08:00:00.000Z');
    });
  });

  describe('errors', () => {
    it('refuses unknown and unpublished currencies', async () => {
      expect((await api.get('/api/currency/rates?base=ABC', token)).status).toBe(400);
      const unpublished = await api.get('/api/currency/rates?symbols=EUR,ARS', token);
      expect(unpublished.status).toBe(400);
      expect(unpublished.body).toMatchObject({ code: 'UNKNOWN_CURRENCY', error: 'No exchange rate is published for ARS' });
    });

    it('validates conversions', async () => {
      for (const body of [
        { amount: -1, from: 'USD', to: 'EUR' },
        { amount: 1.5, from: 'JPY', to: 'EUR' },
        { amount: 10, from: 'USD' },
        { amount: '10; DROP TABLE', from: 'USD', to: 'EUR' },
        { amount: 10, from: 'USD', to: 'EUR', date: '1999-01-01' },
      ]) {
        const res = await api.post('/api/currency/convert', body, token);
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
    });
  });
});
