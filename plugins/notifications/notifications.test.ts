import { and, eq, ne } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DomainEvents } from '../../core/events.ts';
import { createTestApp } from '../../tests/support/app.ts';
import { DEFAULT_PUSH_TYPES } from './preferences.ts';
import { emailOutbox, NOTIFICATION_TYPES } from './tables.ts';

const budgetEvent = (userId: string, change: Partial<DomainEvents['budget.threshold_crossed']> = {}): DomainEvents['budget.threshold_crossed'] => ({
  userId,
  budgetId: 'budget-1',
  name: 'Food',
  level: 'warning',
  threshold: 80,
  percentageUsed: 85,
  spent: 425,
  amount: 500,
  currency: 'USD',
  periodStart: '2024-01-01T00:00:00.000Z',
  periodEnd: '2024-02-01T00:00:00.000Z',
  ...change,
});

const subscription = {
  endpoint: 'https://push.example.com/send/abc123',
  expirationTime: null,
  keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' },
};

describe('notifications', async () => {
  const { api, platform } = await createTestApp();
  const alice = await api.register();
  const bob = await api.register();

  // Every account gets a welcome email at register (messages.test.ts): these tests look at the others.
  const outboxOf = (userId: string) => platform.db.select().from(emailOutbox).where(and(eq(emailOutbox.userId, userId), ne(emailOutbox.type, 'welcome')));
  /** A user with `n` budget alerts, the last emitted newest. */
  const userWithAlerts = async (n: number) => {
    const user = await api.register();
    for (let i = 1; i <= n; i++) await platform.events.emit('budget.threshold_crossed', budgetEvent(user.id, { name: `Budget ${i}` }));
    return user;
  };
  const titles = (body: { title: string }[]) => body.map((n) => n.title);

  describe('from events', () => {
    it('turns a budget alert into a notification and, by default, an email', async () => {
      const user = await api.register();
      await platform.events.emit('budget.threshold_crossed', budgetEvent(user.id));
      const list = await api.get('/api/notifications', user.token);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        {
          _id: expect.any(String),
          type: 'budget_alert',
          title: 'Budget alert: Food',
          message: 'You have used 85% of your budget “Food”: $425.00 of $500.00.',
          data: {
            budgetId: 'budget-1',
            level: 'warning',
            threshold: 80,
            percentageUsed: 85,
            spent: 425,
            amount: 500,
            currency: 'USD',
            periodStart: '2024-01-01T00:00:00.000Z',
            periodEnd: '2024-02-01T00:00:00.000Z',
          },
          read: false,
          createdAt: expect.any(String),
        },
      ]);
      expect(await outboxOf(user.id)).toEqual([
        expect.objectContaining({
          id: expect.any(String),
          userId: user.id,
          notificationId: list.body[0]._id,
          type: 'budget_alert',
          subject: 'Budget alert: Food',
          body: expect.stringContaining('You have used 85% of your budget “Food”'),
          status: 'pending',
          attempts: 0,
          createdAt: list.body[0].createdAt,
        }),
      ]);
    });

    it('queues no email when the user turned email off, or for a type not chosen', async () => {
      const user = await api.register();
      await api.post('/api/notifications/preferences', { channels: { email: { enabled: false } } }, user.token);
      await platform.events.emit('budget.threshold_crossed', budgetEvent(user.id, { level: 'exceeded', percentageUsed: 110, spent: 550 }));
      expect((await api.get('/api/notifications', user.token)).body).toMatchObject([{ type: 'budget_alert', title: 'Budget exceeded: Food' }]);
      expect(await outboxOf(user.id)).toEqual([]);

      const other = await api.register();
      await api.post('/api/notifications/preferences', { channels: { email: { types: ['goal_achieved'] } } }, other.token);
      await platform.events.emit('budget.threshold_crossed', budgetEvent(other.id));
      expect((await api.get('/api/notifications', other.token)).body).toHaveLength(1);
      expect(await outboxOf(other.id)).toEqual([]);
    });

    it('notifies the goal milestones past 50% and the achievement, through the goals plugin', async () => {
      const user = await api.register();
      const goal = (await api.post('/api/goals', { title: 'Emergency Fund', targetAmount: 1000 }, user.token)).body;
      await api.patch(`/api/goals/${goal._id}/contribute`, { amount: 600 }, user.token);
      let list = (await api.get('/api/notifications', user.token)).body;
      expect(list).toMatchObject([
        { type: 'goal_milestone', title: 'Goal milestone: Emergency Fund', data: { goalId: goal._id, milestone: 50 } },
        { type: 'goal_milestone', data: { goalId: goal._id, milestone: 25 } },
      ]);
      expect(await outboxOf(user.id)).toEqual([]); // milestones are not emailed by default
      await api.patch(`/api/goals/${goal._id}/contribute`, { amount: 400 }, user.token);
      list = (await api.get('/api/notifications', user.token)).body;
      expect(list.map((n: { type: string }) => n.type)).toEqual(['goal_achieved', 'goal_milestone', 'goal_milestone', 'goal_milestone']);
      expect(list[0]).toMatchObject({
        title: 'Goal achieved: Emergency Fund',
        message: 'Congratulations! You reached your goal “Emergency Fund” of $1,000.00.',
        data: { goalId: goal._id, currentAmount: 1000, targetAmount: 1000, currency: 'USD' },
      });
      expect(await outboxOf(user.id)).toMatchObject([{ type: 'goal_achieved', notificationId: list[0]._id, subject: 'Goal achieved: Emergency Fund' }]);
    });
  });

  describe('routes', () => {
    it('lists newest first, a page at a time, with a Link to the next page', async () => {
      const user = await userWithAlerts(5);
      const first = await api.get('/api/notifications?limit=2', user.token);
      expect(titles(first.body)).toEqual(['Budget alert: Budget 5', 'Budget alert: Budget 4']);
      const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
      expect(next).toMatch(/^\/api\/notifications\?limit=2&cursor=/);
      const second = await api.get(next!, user.token);
      expect(titles(second.body)).toEqual(['Budget alert: Budget 3', 'Budget alert: Budget 2']);
      const third = await api.get(/<([^>]+)>/.exec(second.headers.get('link')!)![1]!, user.token);
      expect(titles(third.body)).toEqual(['Budget alert: Budget 1']);
      expect(third.headers.get('link')).toBeNull();
      expect(titles((await api.get('/api/notifications?limit=2&page=2', user.token)).body)).toEqual(['Budget alert: Budget 3', 'Budget alert: Budget 2']);
    });

    it('marks one read, filters by read, counts the unread', async () => {
      const user = await userWithAlerts(3);
      expect((await api.get('/api/notifications/unread-count', user.token)).body).toEqual({ count: 3 });
      const [newest] = (await api.get('/api/notifications', user.token)).body;
      const res = await api.put(`/api/notifications/${newest._id}/read`, undefined, user.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...newest, read: true });
      expect((await api.put(`/api/notifications/${newest._id}/read`, undefined, user.token)).body.read).toBe(true);
      expect((await api.get('/api/notifications/unread-count', user.token)).body).toEqual({ count: 2 });
      expect((await api.get('/api/notifications?read=true', user.token)).body.map((n: { _id: string }) => n._id)).toEqual([newest._id]);
      expect(titles((await api.get('/api/notifications?read=false', user.token)).body)).toEqual(['Budget alert: Budget 2', 'Budget alert: Budget 1']);
    });

    it('marks all read and says how many', async () => {
      const user = await userWithAlerts(3);
      const [newest] = (await api.get('/api/notifications', user.token)).body;
      await api.put(`/api/notifications/${newest._id}/read`, undefined, user.token);
      expect(await api.patch('/api/notifications/mark-all-read', undefined, user.token)).toMatchObject({ status: 200, body: { success: true, marked: 2 } });
      expect((await api.get('/api/notifications/unread-count', user.token)).body).toEqual({ count: 0 });
      expect((await api.get('/api/notifications?read=false', user.token)).body).toEqual([]);
      expect((await api.patch('/api/notifications/mark-all-read', undefined, user.token)).body).toEqual({ success: true, marked: 0 });
    });

    it('deletes a notification', async () => {
      const user = await userWithAlerts(2);
      const [newest] = (await api.get('/api/notifications', user.token)).body;
      expect(await api.del(`/api/notifications/${newest._id}`, user.token)).toMatchObject({
        status: 200,
        body: { success: true, message: 'Notification deleted' },
      });
      expect(titles((await api.get('/api/notifications', user.token)).body)).toEqual(['Budget alert: Budget 1']);
      expect((await api.del(`/api/notifications/${newest._id}`, user.token)).status).toBe(404);
      expect((await api.put(`/api/notifications/${newest._id}/read`, undefined, user.token)).status).toBe(404);
    });

    it.each([['yes'], ['1'], ['TRUE'], ['']])('refuses read=%s: 400', async (value) => {
      const res = await api.get(`/api/notifications?read=${value}`, alice.token);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED', details: [{ path: 'query.read' }] });
    });

    it.each([['limit=0'], ['limit=201'], ['limit=ten'], ['cursor=garbage'], ['page=0']])('refuses %s: 400', async (query) => {
      const res = await api.get(`/api/notifications?${query}`, alice.token);
      expect(res.status).toBe(400);
      expect(res.body.success).toBe(false);
    });

    it('needs a token', async () => {
      for (const res of [
        await api.get('/api/notifications'),
        await api.get('/api/notifications/unread-count'),
        await api.patch('/api/notifications/mark-all-read', undefined),
        await api.get('/api/notifications/preferences'),
      ]) {
        expect(res.status).toBe(401);
      }
    });
  });

  describe('security', () => {
    it('shows another user’s notification as absent (404) and leaves it unchanged', async () => {
      await platform.events.emit('budget.threshold_crossed', budgetEvent(alice.id));
      const before = (await api.get('/api/notifications', alice.token)).body;
      const [mine] = before;
      expect((await api.put(`/api/notifications/${mine._id}/read`, undefined, bob.token))).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      expect((await api.del(`/api/notifications/${mine._id}`, bob.token))).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
      expect((await api.patch('/api/notifications/mark-all-read', undefined, bob.token)).body.marked).toBe(0);
      expect((await api.get('/api/notifications', bob.token)).body).toEqual([]);
      expect((await api.get('/api/notifications/unread-count', bob.token)).body).toEqual({ count: 0 });
      expect((await api.get('/api/notifications', alice.token)).body).toEqual(before);
    });
  });

  describe('preferences', () => {
    it('starts with email for budget, goal and security alerts, the welcome and the weekly summary, and push off', async () => {
      const user = await api.register();
      expect(await api.get('/api/notifications/preferences', user.token)).toMatchObject({
        status: 200,
        body: {
          channels: {
            email: { enabled: true, types: ['budget_alert', 'goal_achieved', 'security_alert', 'welcome', 'weekly_summary'] },
            push: { enabled: false, types: ['budget_alert', 'goal_achieved', 'goal_milestone', 'split_reminder', 'security_alert'], subscription: null },
          },
        },
      });
    });

    it('takes the seed’s body and merges partial updates', async () => {
      const user = await api.register();
      const seed = { channels: { email: { enabled: true, types: ['budget_alert', 'goal_achieved', 'budget_alert'] }, push: { enabled: true, subscription } } };
      const res = await api.post('/api/notifications/preferences', seed, user.token);
      expect(res.status).toBe(200);
      const expected = { channels: { email: { enabled: true, types: ['budget_alert', 'goal_achieved'] }, push: { enabled: true, types: DEFAULT_PUSH_TYPES, subscription } } };
      expect(res.body).toEqual(expected);
      expect((await api.get('/api/notifications/preferences', user.token)).body).toEqual(expected);

      const partial = await api.post('/api/notifications/preferences', { channels: { email: { enabled: false } } }, user.token);
      expect(partial.body).toEqual({ channels: { ...expected.channels, email: { enabled: false, types: ['budget_alert', 'goal_achieved'] } } });
      const off = await api.post('/api/notifications/preferences', { channels: { push: { enabled: false, subscription: null } } }, user.token);
      expect(off.body.channels.push).toEqual({ enabled: false, types: DEFAULT_PUSH_TYPES, subscription: null });
      // Another user's preferences are untouched.
      expect((await api.get('/api/notifications/preferences', alice.token)).body.channels.push.enabled).toBe(false);
    });

    const invalid: [string, unknown][] = [
      ['no channels', {}],
      ['push on without a subscription', { channels: { push: { enabled: true } } }],
      ['push on with a null subscription', { channels: { push: { enabled: true, subscription: null } } }],
      ['an http endpoint', { channels: { push: { enabled: true, subscription: { ...subscription, endpoint: 'http://push.example.com/x' } } } }],
      ['an endpoint that is no URL', { channels: { push: { enabled: true, subscription: { ...subscription, endpoint: 'push' } } } }],
      ['an endpoint of 3000 characters', { channels: { push: { enabled: true, subscription: { ...subscription, endpoint: `https://push.example.com/${'a'.repeat(3000)}` } } } }],
      ['a subscription without keys', { channels: { push: { enabled: true, subscription: { endpoint: subscription.endpoint, expirationTime: null } } } }],
      ['a key of 300 characters', { channels: { push: { enabled: true, subscription: { ...subscription, keys: { ...subscription.keys, p256dh: 'A'.repeat(300) } } } } }],
      ['a key that is not base64url', { channels: { push: { enabled: true, subscription: { ...subscription, keys: { ...subscription.keys, auth: 'a b$c' } } } } }],
      ['a negative expirationTime', { channels: { push: { enabled: true, subscription: { ...subscription, expirationTime: -1 } } } }],
      ['an unknown type', { channels: { email: { types: ['weekly_digest'] } } }],
      ['types that are no array', { channels: { email: { types: 'budget_alert' } } }],
      ['enabled as text', { channels: { email: { enabled: 'yes' } } }],
      ['too many types', { channels: { email: { types: Array(NOTIFICATION_TYPES.length * 2 + 1).fill('budget_alert') } } }],
    ];

    it.each(invalid)('refuses %s: 400, nothing changed', async (_, body) => {
      const user = await api.register();
      const res = await api.post('/api/notifications/preferences', body, user.token);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED', details: expect.arrayContaining([expect.objectContaining({ path: expect.any(String) })]) });
      expect((await api.get('/api/notifications/preferences', user.token)).body.channels.push).toEqual({ enabled: false, types: DEFAULT_PUSH_TYPES, subscription: null });
    });

    it('refuses to drop the subscription while push stays on', async () => {
      const user = await api.register();
      await api.post('/api/notifications/preferences', { channels: { push: { enabled: true, subscription } } }, user.token);
      expect((await api.post('/api/notifications/preferences', { channels: { push: { subscription: null } } }, user.token)).status).toBe(400);
      // Push on again later: the stored subscription is enough.
      await api.post('/api/notifications/preferences', { channels: { push: { enabled: false } } }, user.token);
      expect((await api.post('/api/notifications/preferences', { channels: { push: { enabled: true } } }, user.token)).body.channels.push).toEqual({ enabled: true, types: DEFAULT_PUSH_TYPES, subscription });
    });
  });
});
