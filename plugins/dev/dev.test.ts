import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';

const alert = (userId: string, name: string) => ({
  userId,
  budgetId: 'b1',
  name,
  level: 'warning' as const,
  threshold: 80,
  percentageUsed: 85,
  spent: 85,
  amount: 100,
  currency: 'EUR',
  periodStart: '2026-03-01T00:00:00.000Z',
  periodEnd: '2026-04-01T00:00:00.000Z',
});

describe('GET /api/dev/outbox', () => {
  it('without Postmark: the delivery job only logs each email; the caller reads their own, not others’', async () => {
    const { api, platform } = await createTestApp();
    expect(platform.mailer.kind).toBe('log');
    const ann = await api.register(undefined, 'Ann');
    const bob = await api.register(undefined, 'Bob');
    await platform.events.emit('budget.threshold_crossed', alert(ann.id, 'Groceries & <b>more</b>'));
    await platform.events.emit('budget.threshold_crossed', alert(bob.id, 'Rent'));
    // Each one's welcome email and budget alert.
    expect(await platform.jobs.run('notifications.email', 'cron')).toMatchObject({ outcome: 'ok', items: 4 });

    const res = await api.get('/api/dev/outbox', ann.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({ type: 'budget_alert', subject: 'Budget alert: Groceries & <b>more</b>', status: 'logged', attempts: 1, providerMessageId: null }),
      expect.objectContaining({ type: 'welcome', subject: 'Welcome to ExpenseFlow, Ann', status: 'logged' }),
    ]);
    expect(res.body[0].html).toContain('Groceries &amp; &lt;b&gt;more&lt;/b&gt;');
    expect(res.body[0].text).toContain('/api/notifications/unsubscribe?code=');
    expect((await api.get('/api/dev/outbox', bob.token)).body.map((m: { subject: string }) => m.subject)).toEqual(['Budget alert: Rent', 'Welcome to ExpenseFlow, Bob']);
    expect((await api.get('/api/dev/outbox')).status).toBe(401);
    expect((await api.get('/api/dev/outbox?limit=500', ann.token)).status).toBe(400);
  });

  it('does not exist in production', async () => {
    const { api, app } = await createTestApp({ env: { NODE_ENV: 'production' } });
    const user = await api.register();
    expect(await api.get('/api/dev/outbox', user.token)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/api/dev/outbox');
  });
});
