import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { firstOnOrAfter, occurrence } from './schedule.ts';

describe('occurrence dates', () => {
  it('keeps a monthly 31st on the last day of shorter months, counted from the start each time', () => {
    const days = [0, 1, 2, 3, 4, 12, 13].map((n) => occurrence('2026-01-31', 'monthly', 1, n));
    expect(days).toEqual(['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2027-01-31', '2027-02-28']);
    expect(occurrence('2027-12-31', 'monthly', 2, 1)).toBe('2028-02-29'); // a leap year
  });

  it('steps days, weeks and years by the interval; 29 February falls on the 28th in other years', () => {
    expect(occurrence('2026-12-30', 'daily', 3, 1)).toBe('2027-01-02');
    expect(occurrence('2026-03-02', 'weekly', 2, 3)).toBe('2026-04-13');
    expect([1, 4].map((n) => occurrence('2028-02-29', 'yearly', 1, n))).toEqual(['2029-02-28', '2032-02-29']);
    expect(firstOnOrAfter('2026-01-31', 'monthly', 1, '2026-04-01')).toEqual({ index: 3, date: '2026-04-30' });
    expect(firstOnOrAfter('2026-01-31', 'monthly', 1, '2026-01-01')).toEqual({ index: 0, date: '2026-01-31' });
  });
});

describe('recurring expenses', async () => {
  let now = Date.parse('2026-01-30T10:00:00Z');
  const { api, platform } = await createTestApp({ clock: { now: () => new Date(now) } });
  const run = () => platform.jobs.run('recurring.create', 'cron');
  const user = await api.register();
  // Auckland is UTC+13 in January: its 31 January begins at 11:00 UTC on the 30th.
  expect((await api.patch('/api/auth/me', { settings: { timeZone: 'Pacific/Auckland' } }, user.token)).status).toBe(200);
  const expensesOf = async (token: string) =>
    ((await api.get('/api/expenses?limit=200', token)).body as { description: string; date: string; originalAmount: number }[])
      .map((e) => [e.description, e.date.slice(0, 10), e.originalAmount])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])));

  it('creates each due occurrence once, when its day begins in the user’s time zone, and catches up after downtime', async () => {
    const created = await api.post('/api/recurring', { description: 'Rent', amount: 950, currency: 'NZD', category: 'utilities', frequency: 'monthly', startDate: '2026-01-31' }, user.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ description: 'Rent', amount: 950, currency: 'NZD', frequency: 'monthly', interval: 1, nextDate: '2026-01-31', endDate: null, paused: false });

    expect(await run()).toMatchObject({ items: 0 }); // 23:00 on the 30th in Auckland
    now = Date.parse('2026-01-30T11:30:00Z');
    expect(await run()).toMatchObject({ items: 1 });
    expect(await run()).toMatchObject({ items: 0 });
    expect(await expensesOf(user.token)).toEqual([['Rent', '2026-01-31', 950]]);
    expect((await api.get('/api/notifications', user.token)).body).toMatchObject([
      { type: 'recurring_expense', title: 'Recurring expense added: Rent', message: 'NZ$950.00 for “Rent” was added for 2026-01-31.', data: { date: '2026-01-31', amount: 950, currency: 'NZD' } },
    ]);

    // Down from February to May: the three missed months come at the next run, each once.
    now = Date.parse('2026-05-01T00:00:00Z');
    expect(await run()).toMatchObject({ items: 3 });
    expect(await run()).toMatchObject({ items: 0 });
    expect(await expensesOf(user.token)).toEqual([
      ['Rent', '2026-01-31', 950],
      ['Rent', '2026-02-28', 950],
      ['Rent', '2026-03-31', 950],
      ['Rent', '2026-04-30', 950],
    ]);
    expect((await api.get(`/api/recurring/${created.body._id}`, user.token)).body).toMatchObject({ nextDate: '2026-05-31', lastError: null });
  });

  it('creates nothing while paused or past its end; a missing category waits with lastError', async () => {
    const other = await api.register();
    const paused = (await api.post('/api/recurring', { description: 'Gym', amount: 30, category: 'healthcare', frequency: 'weekly', startDate: '2026-04-01', paused: true }, other.token)).body;
    const ended = (await api.post('/api/recurring', { description: 'Course', amount: 10, category: 'education', frequency: 'daily', interval: 10, startDate: '2026-04-01', endDate: '2026-04-15' }, other.token)).body;
    const broken = (await api.post('/api/recurring', { description: 'Odd', amount: 5, category: 'no-such-category', frequency: 'yearly', startDate: '2026-04-01' }, other.token)).body;
    await run();
    expect(await expensesOf(other.token)).toEqual([
      ['Course', '2026-04-01', 10],
      ['Course', '2026-04-11', 10],
    ]);
    expect((await api.get(`/api/recurring/${ended._id}`, other.token)).body.nextDate).toBeNull();
    expect((await api.get(`/api/recurring/${broken._id}`, other.token)).body).toMatchObject({ nextDate: '2026-04-01', lastError: expect.stringMatching(/categor/i) });

    expect((await api.put(`/api/recurring/${paused._id}`, { paused: false }, other.token)).body).toMatchObject({ paused: false, nextDate: '2026-04-01' });
    await run();
    expect((await expensesOf(other.token)).filter(([d]) => d === 'Gym').map(([, day]) => day)).toEqual(['2026-04-01', '2026-04-08', '2026-04-15', '2026-04-22', '2026-04-29']);
  });

  it('lists, changes and deletes only the caller’s own; input errors are 400s', async () => {
    const mine = await api.register();
    const theirs = await api.register();
    const id = (await api.post('/api/recurring', { description: 'Netflix', amount: 12.99, category: 'entertainment', frequency: 'monthly', startDate: '2026-06-15' }, mine.token)).body._id;
    expect((await api.get('/api/recurring', mine.token)).body.map((r: { _id: string }) => r._id)).toEqual([id]);
    expect((await api.get('/api/recurring', theirs.token)).body).toEqual([]);
    for (const call of [api.get(`/api/recurring/${id}`, theirs.token), api.put(`/api/recurring/${id}`, { amount: 1 }, theirs.token), api.del(`/api/recurring/${id}`, theirs.token)]) {
      expect((await call).status).toBe(404);
    }
    expect((await api.put(`/api/recurring/${id}`, { amount: 13.99, interval: 3 }, mine.token)).body).toMatchObject({ amount: 13.99, interval: 3, nextDate: '2026-06-15' });
    for (const body of [
      { description: 'x', amount: 1, category: 'food', frequency: 'hourly', startDate: '2026-01-01' },
      { description: 'x', amount: 1, category: 'food', frequency: 'daily', interval: 0, startDate: '2026-01-01' },
      { description: 'x', amount: 1, category: 'food', frequency: 'daily', startDate: '2026-02-30' },
      { description: 'x', amount: 1, category: 'food', frequency: 'daily', startDate: '2026-02-01', endDate: '2026-01-01' },
      { description: 'x', amount: 1.5, currency: 'JPY', category: 'food', frequency: 'daily', startDate: '2026-02-01' },
      { description: 'x'.repeat(501), amount: 1, category: 'food', frequency: 'daily', startDate: '2026-02-01' },
      { description: 'x', amount: 1, category: 'food', frequency: 'daily', startDate: '1990-01-01' }, // more than a year back
    ]) {
      const res = await api.post('/api/recurring', body, mine.token);
      expect([res.status, res.body.success, res.body.code], JSON.stringify(body)).toEqual([400, false, 'VALIDATION_FAILED']);
    }
    expect((await api.put(`/api/recurring/${id}`, { endDate: '2026-01-01' }, mine.token)).status).toBe(400);
    expect((await api.put(`/api/recurring/${id}`, {}, mine.token)).status).toBe(400);
    expect((await api.del(`/api/recurring/${id}`, mine.token)).body).toEqual({ success: true, message: 'Recurring expense deleted' });
    expect((await api.get('/api/recurring')).status).toBe(401);
  });
});
