import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { startRatesServer } from '../../tests/support/rates-server.ts';

type Item = { _id: string; description: string; amount: number; displayCurrency: string; conversionPending: boolean };
const hotel = { description: 'Hotel', amount: 200, currency: 'EUR', category: 'travel', date: '2025-04-15' };

/** List pages are cached per process: these check that no change ever hides behind the cache. */
describe('cached list pages', async () => {
  const rates = await startRatesServer();
  const first = await createTestApp({ rates });
  // A second process on the same database file (another Node process, or a Worker isolate).
  const second = await createTestApp({ rates, env: { DATABASE_URL: first.platform.config.DATABASE_URL } });
  const user = await first.api.register();
  const list = async (api = first.api) => (await api.get<Item[]>('/api/expenses', user.token)).body;

  it('shows a new, changed or deleted expense at once', async () => {
    expect(await list()).toEqual([]);
    const made = (await first.api.post('/api/expenses', hotel, user.token)).body;
    expect((await list()).map((e) => e.description)).toEqual(['Hotel']);
    await first.api.put(`/api/expenses/${made._id}`, { amount: 250 }, user.token);
    expect((await list())[0]!.amount).toBe(250);
    await first.api.del(`/api/expenses/${made._id}`, user.token);
    expect(await list()).toEqual([]);
  });

  it('shows a write made by another process at once', async () => {
    expect(await list(first.api)).toEqual([]);
    await second.api.post('/api/expenses', hotel, user.token);
    expect((await list(first.api)).map((e) => e.description)).toEqual(['Hotel']);
  });

  it('follows the display currency and newly loaded rates', async () => {
    expect((await list())[0]).toMatchObject({ displayCurrency: 'EUR', conversionPending: true });
    await first.platform.jobs.run('currency.refresh', 'manual');
    expect((await list())[0]).toMatchObject({ displayCurrency: 'USD', conversionPending: false });
    await first.api.patch('/api/auth/me', { settings: { currency: 'GBP' } }, user.token);
    expect((await list())[0]).toMatchObject({ displayCurrency: 'GBP', conversionPending: false });
  });

  it('keeps users apart', async () => {
    const other = await first.api.register();
    expect((await first.api.get('/api/expenses', other.token)).body).toEqual([]);
  });

  it('answers a kept page as it did when it built it, Link included, and still refuses an invalid query', async () => {
    const someone = await first.api.register();
    for (const description of ['Taxi', 'Lunch', 'Museum']) await first.api.post('/api/expenses', { ...hotel, description }, someone.token);
    const page = () => first.api.get<Item[]>('/api/expenses?limit=2', someone.token);
    const built = await page();
    const kept = await page();
    expect(built.status).toBe(200);
    expect(built.body.map((e) => e.description)).toHaveLength(2);
    expect(built.headers.get('link')).toMatch(/cursor=/);
    expect(kept.status).toBe(200);
    expect(kept.body).toEqual(built.body);
    expect(kept.headers.get('link')).toBe(built.headers.get('link'));
    expect((await first.api.get('/api/expenses?limit=0', someone.token)).body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
