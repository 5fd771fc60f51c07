import { and, eq, ne } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { emailOutbox } from '../plugins/notifications/tables.ts';
import { createTestApp } from './support/app.ts';

// Across two plugins: a reminder from splits becomes an email in the notifications' outbox
// when, and only when, the participant's email preference takes split reminders.
describe('a split reminder by email', async () => {
  const { api, platform } = await createTestApp();
  // Every account also has its welcome email: not what this is about.
  const outboxOf = (userId: string) => platform.db.select().from(emailOutbox).where(and(eq(emailOutbox.userId, userId), ne(emailOutbox.type, 'welcome')));

  it('is queued for a participant whose email preference takes split_reminder, not for one whose does not', async () => {
    const alice = await api.register(undefined, 'Alice');
    const bob = await api.register(undefined, 'Bob');
    const carol = await api.register(undefined, 'Carol');
    const group = (await api.post('/api/groups', { name: 'Flat' }, alice.token)).body.data._id;
    for (const { email } of [bob, carol]) expect((await api.post(`/api/groups/${group}/members`, { email }, alice.token)).status).toBeLessThan(300);
    const expenseId = (await api.post('/api/expenses', { description: 'Rent', amount: 900, category: 'utilities' }, alice.token)).body._id;
    const split = (await api.post('/api/splits', { expenseId, groupId: group }, alice.token)).body.data;
    expect((await api.post('/api/notifications/preferences', { channels: { email: { types: ['split_reminder'] } } }, bob.token)).status).toBe(200);

    for (const who of [bob, carol]) expect((await api.post(`/api/splits/${split._id}/remind/${who.id}`, undefined, alice.token)).status).toBe(200);

    expect(await outboxOf(bob.id)).toEqual([
      expect.objectContaining({ type: 'split_reminder', subject: 'Payment reminder: Rent', status: 'pending', body: expect.stringContaining('Alice reminds you that you owe $300.00 for “Rent” in Flat.') }),
    ]);
    expect(await outboxOf(carol.id)).toEqual([]); // split reminders are not among the default email types
    expect((await api.get('/api/notifications', carol.token)).body).toMatchObject([{ type: 'split_reminder', data: { splitId: split._id, amount: 300, currency: 'USD' } }]);
  });
});
