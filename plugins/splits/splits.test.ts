import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';

type Split = {
  _id: string;
  status: string;
  participants: { user: { _id: string; name: string }; amount: number; isPaid: boolean; paidAt?: string; percentage?: number; shares?: number }[];
};

describe('splits', async () => {
  // A clock the reminder tests move forward; the rest of the suite runs at its start.
  let offset = 0;
  const { api } = await createTestApp({ clock: { now: () => new Date(Date.now() + offset) } });
  const alice = await api.register(undefined, 'Alice');
  const bob = await api.register(undefined, 'Bob');
  const carol = await api.register(undefined, 'Carol');
  const dave = await api.register(undefined, 'Dave'); // in no group of theirs

  const newGroup = async (token: string, members: { email: string }[], body: Record<string, unknown> = {}) => {
    const res = await api.post('/api/groups', { name: 'Trip to Paris', ...body }, token);
    if (res.status !== 201) throw new Error(`group: ${res.status} ${JSON.stringify(res.body)}`);
    for (const m of members) {
      const added = await api.post(`/api/groups/${res.body.data._id}/members`, { email: m.email }, token);
      if (added.status !== 200 && added.status !== 201) throw new Error(`member: ${added.status} ${JSON.stringify(added.body)}`);
    }
    return res.body.data._id as string;
  };
  const newExpense = async (amount: number, token = alice.token, extra: Record<string, unknown> = {}) => {
    const res = await api.post('/api/expenses', { description: 'Restaurant dinner', amount, category: 'Food', ...extra }, token);
    if (res.status !== 201) throw new Error(`expense: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body._id as string;
  };
  const group = await newGroup(alice.token, [bob, carol]);
  const daveGroup = await newGroup(dave.token, []);
  // Participants without a list: the payer first, then the others by user id (registration order).
  const [first, second] = [bob, carol].sort((a, b) => (a.id < b.id ? -1 : 1));

  const split = async (body: Record<string, unknown>, token = alice.token) => {
    const res = await api.post('/api/splits', { groupId: group, splitMethod: 'equal', ...body }, token);
    if (res.status !== 201) throw new Error(`split: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data as Split;
  };
  const amounts = (s: Split) => s.participants.map((p) => [p.user._id, p.amount]);
  const pay = (id: string, token: string, body?: unknown) => api.call('PATCH', `/api/splits/${id}/pay`, { token, ...(body !== undefined && { body }) });
  const remind = (id: string, participantId: string, token = alice.token) => api.post(`/api/splits/${id}/remind/${participantId}`, undefined, token);

  describe('create', () => {
    it('splits the seed body equally: the payer’s share paid, the others owed, status partial', async () => {
      const expenseId = await newExpense(75);
      const res = await api.post('/api/splits', { expenseId, groupId: group, splitMethod: 'equal', notes: 'Dinner at restaurant' }, alice.token);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        success: true,
        message: 'Expense split created successfully',
        data: {
          _id: expect.any(String),
          expense: { _id: expenseId, description: 'Restaurant dinner', amount: 75, category: 'food', currency: 'USD', date: expect.any(String) },
          group: { _id: group, name: 'Trip to Paris' },
          paidBy: { _id: alice.id, name: 'Alice' },
          splitMethod: 'equal',
          notes: 'Dinner at restaurant',
          participants: [
            { user: { _id: alice.id, name: 'Alice' }, amount: 25, isPaid: true, paidAt: expect.any(String) },
            { user: { _id: first!.id, name: first === bob ? 'Bob' : 'Carol' }, amount: 25, isPaid: false },
            { user: { _id: second!.id, name: second === bob ? 'Bob' : 'Carol' }, amount: 25, isPaid: false },
          ],
          status: 'partial',
          totalAmount: 75,
          currency: 'USD',
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      });
      const read = await api.get(`/api/splits/${res.body.data._id}`, bob.token);
      expect(read.body).toEqual({ success: true, data: res.body.data });
    });

    it('gives the leftover cent to the first participant: 100.00 / 3 → 33.34, 33.33, 33.33', async () => {
      const s = await split({ expenseId: await newExpense(100) });
      expect(amounts(s)).toEqual([
        [alice.id, 33.34],
        [first!.id, 33.33],
        [second!.id, 33.33],
      ]);
      // In the listed order when a list is given.
      const listed = await split({ expenseId: await newExpense(100), participants: [{ userId: carol.id }, { userId: bob.id }, { userId: alice.id }] });
      expect(amounts(listed)).toEqual([
        [carol.id, 33.34],
        [bob.id, 33.33],
        [alice.id, 33.33],
      ]);
      expect(listed.status).toBe('partial');
    });

    it('splits yen (no minor digits) in whole yen', async () => {
      const s = await split({ expenseId: await newExpense(1000, alice.token, { currency: 'JPY' }) });
      expect(amounts(s).map(([, a]) => a)).toEqual([334, 333, 333]);
    });

    it('splits by exact amounts, percentages and shares', async () => {
      const exact = await split({
        expenseId: await newExpense(90),
        splitMethod: 'exact',
        participants: [
          { userId: bob.id, amount: 60.5 },
          { userId: carol.id, amount: 29.5 },
        ],
      });
      expect(amounts(exact)).toEqual([
        [bob.id, 60.5],
        [carol.id, 29.5],
      ]);
      // The payer takes no share: nobody has paid yet.
      expect(exact.status).toBe('pending');

      const pct = await split({
        expenseId: await newExpense(10),
        splitMethod: 'percentage',
        participants: [
          { userId: alice.id, percentage: 33.33 },
          { userId: bob.id, percentage: 33.33 },
          { userId: carol.id, percentage: 33.34 },
        ],
      });
      expect(pct.participants.map((p) => [p.amount, p.percentage])).toEqual([
        [3.34, 33.33],
        [3.33, 33.33],
        [3.33, 33.34],
      ]);

      const shares = await split({
        expenseId: await newExpense(100),
        splitMethod: 'shares',
        participants: [
          { userId: alice.id, shares: 1 },
          { userId: bob.id, shares: 2 },
          { userId: carol.id, shares: 3 },
        ],
      });
      expect(shares.participants.map((p) => [p.amount, p.shares])).toEqual([
        [16.67, 1],
        [33.33, 2],
        [50, 3],
      ]);
    });

    it('uses the group’s default method when the body names none', async () => {
      const g = await newGroup(alice.token, [bob], { settings: { defaultSplitMethod: 'shares' } });
      const res = await api.post('/api/splits', { expenseId: await newExpense(10), groupId: g }, alice.token);
      expect(res.status).toBe(201);
      expect(res.body.data.splitMethod).toBe('shares');
      expect(res.body.data.participants.map((p: { shares: number; amount: number }) => [p.shares, p.amount])).toEqual([
        [1, 5],
        [1, 5],
      ]);
    });
  });

  describe('create: refusals', () => {
    const refused = async (body: Record<string, unknown>, token = alice.token) => {
      const res = await api.post('/api/splits', { groupId: group, splitMethod: 'equal', ...body }, token);
      return { status: res.status, code: res.body?.code, paths: (res.body?.details ?? []).map((d: { path: string }) => d.path) };
    };

    it('400 naming the field', async () => {
      const e = await newExpense(75);
      const cases: [Record<string, unknown>, string][] = [
        [{ expenseId: undefined }, 'json.expenseId'],
        [{ expenseId: e, groupId: 42 }, 'json.groupId'],
        [{ expenseId: e, splitMethod: 'thirds' }, 'json.splitMethod'],
        [{ expenseId: e, notes: 'x'.repeat(501) }, 'json.notes'],
        [{ expenseId: e, participants: [] }, 'json.participants'],
        [{ expenseId: e, participants: Array.from({ length: 101 }, (_, i) => ({ userId: `u${i}` })) }, 'json.participants'],
        [{ expenseId: e, splitMethod: 'exact', participants: [{ userId: bob.id, amount: 50 }, { userId: carol.id, amount: 20 }] }, 'json.participants'],
        [{ expenseId: e, splitMethod: 'exact', participants: [{ userId: bob.id, amount: 80 }, { userId: carol.id, amount: -5 }] }, 'json.participants.1.amount'],
        [{ expenseId: e, splitMethod: 'exact', participants: [{ userId: bob.id, amount: 75 }, { userId: carol.id, amount: 0 }] }, 'json.participants.1.amount'],
        [{ expenseId: e, splitMethod: 'exact', participants: [{ userId: bob.id, amount: 74.999 }, { userId: carol.id, amount: 0.001 }] }, 'json.participants.0.amount'],
        [{ expenseId: e, splitMethod: 'exact' }, 'json.participants'],
        [{ expenseId: e, splitMethod: 'percentage', participants: [{ userId: bob.id, percentage: 50 }, { userId: carol.id, percentage: 40 }] }, 'json.participants'],
        [{ expenseId: e, splitMethod: 'percentage', participants: [{ userId: bob.id, percentage: 101 }] }, 'json.participants.0.percentage'],
        [{ expenseId: e, splitMethod: 'percentage', participants: [{ userId: bob.id }] }, 'json.participants.0.percentage'],
        [{ expenseId: e, splitMethod: 'shares', participants: [{ userId: bob.id, shares: 0 }] }, 'json.participants.0.shares'],
        [{ expenseId: e, splitMethod: 'shares', participants: [{ userId: bob.id, shares: 1.5 }] }, 'json.participants.0.shares'],
        [{ expenseId: e, participants: [{ userId: bob.id, amount: 75 }] }, 'json.participants.0.amount'],
        [{ expenseId: e, participants: [{ userId: bob.id }, { userId: dave.id }] }, 'json.participants.1.userId'],
        [{ expenseId: e, participants: [{ userId: bob.id }, { userId: bob.id }] }, 'json.participants.1.userId'],
        [{ expenseId: e, participants: [{ userId: alice.id }] }, 'json.participants'],
      ];
      for (const [body, path] of cases) {
        expect({ body, ...(await refused(body)) }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED', paths: [path] });
      }
    });

    it('400 for a share that would be 0, and for an income', async () => {
      expect(await refused({ expenseId: await newExpense(0.02) })).toEqual({ status: 400, code: 'VALIDATION_FAILED', paths: ['json.participants'] });
      expect(await refused({ expenseId: await newExpense(50, alice.token, { type: 'income' }) })).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        paths: ['json.expenseId'],
      });
    });

    it('400 when the group has nobody else to split with', async () => {
      expect(await refused({ expenseId: await newExpense(20, dave.token), groupId: daveGroup }, dave.token)).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        paths: ['json.participants'],
      });
    });

    it('404 for an expense that is not the caller’s, or a group they are not in', async () => {
      const bobs = await newExpense(30, bob.token);
      expect(await refused({ expenseId: bobs })).toEqual({ status: 404, code: 'NOT_FOUND', paths: ['json.expenseId'] });
      expect(await refused({ expenseId: 'no-such-expense' })).toEqual({ status: 404, code: 'NOT_FOUND', paths: ['json.expenseId'] });
      expect(await refused({ expenseId: await newExpense(30), groupId: daveGroup })).toEqual({ status: 404, code: 'NOT_FOUND', paths: ['json.groupId'] });
      expect(await refused({ expenseId: await newExpense(30, dave.token) }, dave.token)).toEqual({ status: 404, code: 'NOT_FOUND', paths: ['json.groupId'] });
    });

    it('409 for an expense split already, also when two splits race', async () => {
      const expenseId = await newExpense(30);
      await split({ expenseId });
      expect(await refused({ expenseId })).toEqual({ status: 409, code: 'ALREADY_SPLIT', paths: ['json.expenseId'] });

      const raced = await newExpense(30);
      const both = await Promise.all([1, 2].map(() => api.post('/api/splits', { expenseId: raced, groupId: group }, alice.token)));
      expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    });

    it('401 without a token', async () => {
      expect((await api.post('/api/splits', { expenseId: 'x', groupId: group }, undefined)).status).toBe(401);
    });
  });

  describe('pay', () => {
    it('moves pending → partial → settled as participants pay, the group ledger following in the same writes', async () => {
      const g = await newGroup(alice.token, [bob, carol]);
      const balances = async () => {
        const res = await api.get(`/api/groups/${g}/balances`, alice.token);
        const of = (id: string) => res.body.data.balances.find((b: { user: { _id: string } }) => b.user._id === id)?.balance;
        return [of(alice.id), of(bob.id), of(carol.id)];
      };
      const s = await split({ groupId: g, expenseId: await newExpense(60), splitMethod: 'exact', participants: [{ userId: bob.id, amount: 20 }, { userId: carol.id, amount: 40 }] });
      expect(s.status).toBe('pending');
      expect(await balances()).toEqual([60, -20, -40]);
      const paid = await pay(s._id, bob.token);
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({ success: true, message: 'Payment marked successfully', data: { _id: s._id, status: 'partial' } });
      expect(paid.body.data.participants[0]).toEqual({ user: { _id: bob.id, name: 'Bob' }, amount: 20, isPaid: true, paidAt: expect.any(String) });
      // The payer may mark another participant's share.
      expect(await balances()).toEqual([40, 0, -40]);
      const settled = await pay(s._id, alice.token, { participantId: carol.id });
      expect(settled.status).toBe(200);
      expect(settled.body.data.status).toBe('settled');
      expect(settled.body.data.participants.every((p: { isPaid: boolean }) => p.isPaid)).toBe(true);
      expect(await balances()).toEqual([0, 0, 0]);
    });

    it('two participants paying at the same moment both succeed and the split ends settled', async () => {
      for (let round = 0; round < 5; round++) {
        const s = await split({ expenseId: await newExpense(90) });
        const [b, c] = await Promise.all([pay(s._id, bob.token), pay(s._id, carol.token)]);
        expect([b.status, c.status]).toEqual([200, 200]);
        expect((await api.get(`/api/splits/${s._id}`, alice.token)).body.data.status).toBe('settled');
      }
    });

    it('goes with its group: once the group is deleted the split is gone for everyone (404, not a failed payment)', async () => {
      const doomed = await newGroup(alice.token, [bob, carol]);
      const res = await api.post('/api/splits', { groupId: doomed, splitMethod: 'equal', expenseId: await newExpense(30) }, alice.token);
      expect(res.status).toBe(201);
      const id = res.body.data._id as string;
      expect((await api.del(`/api/groups/${doomed}`, alice.token)).status).toBe(200);
      expect((await pay(id, bob.token)).status).toBe(404);
      expect((await api.get(`/api/splits/${id}`, alice.token)).status).toBe(404);
      expect((await api.get('/api/splits', bob.token)).body.data.map((x: Split) => x._id)).not.toContain(id);
    });

    it('the same share paid twice at once: one 200, one 409, and one payment in the ledger', async () => {
      const g = await newGroup(alice.token, [bob, carol]);
      const s = await split({ groupId: g, expenseId: await newExpense(90) });
      const both = await Promise.all([pay(s._id, bob.token), pay(s._id, alice.token, { participantId: bob.id })]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(both.find((r) => r.status === 409)!.body.code).toBe('ALREADY_PAID');
      const balances = (await api.get(`/api/groups/${g}/balances`, bob.token)).body.data.balances;
      expect(balances.find((b: { user: { _id: string } }) => b.user._id === bob.id).balance).toBe(0);
    });

    it('refuses: 404 for an outsider, 403 for a participant paying another’s share, 400 for a non-participant, 409 when paid', async () => {
      const s = await split({ expenseId: await newExpense(30), participants: [{ userId: alice.id }, { userId: bob.id }] });
      expect((await pay(s._id, dave.token)).status).toBe(404);
      expect((await pay(s._id, carol.token)).status).toBe(404); // in the group, not in this split
      expect((await pay('no-such-split', bob.token)).status).toBe(404);
      const forbidden = await pay(s._id, bob.token, { participantId: alice.id });
      expect([forbidden.status, forbidden.body.code, forbidden.body.details?.[0]?.path]).toEqual([403, 'FORBIDDEN', 'json.participantId']);
      const outside = await pay(s._id, alice.token, { participantId: carol.id });
      expect([outside.status, outside.body.details?.[0]?.path]).toEqual([400, 'json.participantId']);
      const bad = await pay(s._id, alice.token, { participantId: 7 });
      expect([bad.status, bad.body.details?.[0]?.path]).toEqual([400, 'json.participantId']);
      const own = await pay(s._id, alice.token); // the payer's share was paid at creation
      expect([own.status, own.body.code]).toEqual([409, 'ALREADY_PAID']);
    });
  });

  describe('list and get', () => {
    it('lists the caller’s pending splits, newest first, and drops them once settled', async () => {
      const g = await newGroup(carol.token, [dave]);
      const ids: string[] = [];
      for (const amount of [10, 20, 30]) {
        const res = await api.post('/api/splits', { expenseId: await newExpense(amount, carol.token), groupId: g }, carol.token);
        ids.push(res.body.data._id);
      }
      const list = await api.get('/api/splits', dave.token);
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ success: true, count: 3 });
      expect(list.body.data.map((s: Split) => s._id)).toEqual([...ids].reverse());
      expect(list.body.data[0]).toMatchObject({ expense: { description: 'Restaurant dinner', amount: 30, category: 'food' }, group: { name: 'Trip to Paris' }, status: 'partial' });

      const page = await api.get('/api/splits?limit=2', dave.token);
      expect(page.body.count).toBe(2);
      const next = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1];
      expect((await api.get(next!, dave.token)).body.data.map((s: Split) => s._id)).toEqual([ids[0]]);

      await pay(ids[2]!, dave.token);
      expect((await api.get('/api/splits', dave.token)).body.data.map((s: Split) => s._id)).toEqual([ids[1], ids[0]]);
      expect((await api.get('/api/splits', carol.token)).body.data.map((s: Split) => s._id)).toEqual(expect.arrayContaining([ids[1], ids[0]]));
      expect((await api.get('/api/splits', carol.token)).body.data.map((s: Split) => s._id)).not.toContain(ids[2]);
      expect((await api.get('/api/splits?limit=0', dave.token)).body.details[0].path).toBe('query.limit');
    });

    it('hides a split from anyone not in it', async () => {
      const s = await split({ expenseId: await newExpense(10), participants: [{ userId: alice.id }, { userId: bob.id }] });
      expect((await api.get(`/api/splits/${s._id}`, bob.token)).status).toBe(200);
      expect((await api.get(`/api/splits/${s._id}`, carol.token)).status).toBe(404);
      expect((await api.get(`/api/splits/${s._id}`, dave.token)).status).toBe(404);
      expect((await api.get('/api/splits', dave.token)).body.data.map((x: Split) => x._id)).not.toContain(s._id);
    });
  });

  describe('remind', () => {
    it('notifies the participant once per 24 hours; 429 with the seconds left in Retry-After', async () => {
      const s = await split({ expenseId: await newExpense(45) });
      const res = await remind(s._id, bob.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, data: { splitId: s._id, participantId: bob.id, amount: 15, currency: 'USD' } });

      const inbox = await api.get('/api/notifications', bob.token);
      const note = inbox.body.find((n: { data: { splitId?: string } }) => n.data.splitId === s._id);
      expect(note).toMatchObject({ type: 'split_reminder', title: 'Payment reminder: Restaurant dinner', read: false });
      expect(note.message).toContain('Alice reminds you that you owe $15.00');

      const again = await remind(s._id, bob.id);
      expect([again.status, again.body.code]).toEqual([429, 'REMINDER_TOO_SOON']);
      const retry = Number(again.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(86_300);
      expect(retry).toBeLessThanOrEqual(86_400);

      offset += 23 * 3600 * 1000;
      const later = await remind(s._id, bob.id);
      expect(later.status).toBe(429);
      expect(Number(later.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
      offset += 3600 * 1000;
      expect((await remind(s._id, bob.id)).status).toBe(200);
    });

    it('exactly one of two racing reminders goes out', async () => {
      const s = await split({ expenseId: await newExpense(45) });
      const both = await Promise.all([remind(s._id, carol.id), remind(s._id, carol.id), remind(s._id, carol.id)]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 429, 429]);
      // Another participant of the same split has their own allowance.
      expect((await remind(s._id, bob.id)).status).toBe(200);
    });

    it('refuses: 403 for a participant, 404 for an outsider or a non-participant, 409 for a paid share', async () => {
      const s = await split({ expenseId: await newExpense(30), participants: [{ userId: alice.id }, { userId: bob.id }] });
      expect([(await remind(s._id, alice.id, bob.token)).status, (await remind(s._id, alice.id, bob.token)).body.code]).toEqual([403, 'FORBIDDEN']);
      expect((await remind(s._id, bob.id, dave.token)).status).toBe(404);
      expect((await remind(s._id, carol.id)).status).toBe(404);
      expect((await remind(s._id, alice.id)).body.code).toBe('ALREADY_PAID');
      await pay(s._id, bob.token);
      expect((await remind(s._id, bob.id)).status).toBe(409);
    });
  });

  describe('statistics', () => {
    it('counts and sums the caller’s shares, in their display currency', async () => {
      const erin = await api.register(undefined, 'Erin');
      const fred = await api.register(undefined, 'Fred');
      const g = await newGroup(erin.token, [fred], { name: 'Flat' });
      const a = await api.post('/api/splits', { expenseId: await newExpense(50, erin.token, { description: 'Groceries' }), groupId: g }, erin.token);
      await api.post('/api/splits', { expenseId: await newExpense(30.5, fred.token, { description: 'Internet' }), groupId: g }, fred.token);
      const paid = await api.post('/api/splits', { expenseId: await newExpense(10, fred.token, { description: 'Milk' }), groupId: g }, fred.token);
      await pay(paid.body.data._id, erin.token);

      const stats = await api.get('/api/splits/statistics/user', erin.token);
      expect(stats.status).toBe(200);
      expect(stats.body).toEqual({
        success: true,
        data: {
          currency: 'USD',
          totalSplits: 3,
          pendingPayments: 1,
          completedPayments: 2, // her own share of Groceries, paid at creation, and Milk
          totalOwed: 15.25,
          totalOwedTo: 25,
          unconverted: 0,
          pendingSplits: [{ splitId: expect.any(String), expense: 'Internet', amount: 15.25, currency: 'USD', group: 'Flat' }],
        },
      });
      expect(a.status).toBe(201);

      // A share in another currency whose day has no rate held: left out of the totals, counted.
      await api.post('/api/splits', { expenseId: await newExpense(8, fred.token, { currency: 'EUR', description: 'Bread' }), groupId: g }, fred.token);
      const mixed = (await api.get('/api/splits/statistics/user', erin.token)).body.data;
      expect(mixed).toMatchObject({ totalOwed: 15.25, unconverted: 1, pendingPayments: 2 });
      expect(mixed.pendingSplits[0]).toMatchObject({ expense: 'Bread', amount: 4, currency: 'EUR' });
    });

    it('is all zeros for a user with no splits', async () => {
      const res = await api.get('/api/splits/statistics/user', (await api.register()).token);
      expect(res.body.data).toEqual({
        currency: 'USD',
        totalSplits: 0,
        pendingPayments: 0,
        completedPayments: 0,
        totalOwed: 0,
        totalOwedTo: 0,
        unconverted: 0,
        pendingSplits: [],
      });
    });
  });
});
