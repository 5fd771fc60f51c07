import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { groupInvitations } from './tables.ts';

const seedGroup = {
  name: 'Trip to Paris',
  description: 'Group expenses for our Paris vacation',
  currency: 'EUR',
  settings: { allowPublicExpenses: false, requireApproval: false, defaultSplitMethod: 'equal' },
};

describe('groups', async () => {
  const { api, platform } = await createTestApp();
  const alice = await api.register(undefined, 'Alice');
  const bob = await api.register(undefined, 'Bob');
  const carol = await api.register(undefined, 'Carol');

  const newGroup = async (token = alice.token, body: Record<string, unknown> = seedGroup) => {
    const res = await api.post('/api/groups', body, token);
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data._id as string;
  };
  const add = (id: string, email: string, token = alice.token) => api.post(`/api/groups/${id}/members`, { email }, token);
  /** A group of Alice (admin) with Bob and Carol as members. */
  const trio = async () => {
    const id = await newGroup();
    expect((await add(id, bob.email)).status).toBe(201);
    expect((await add(id, carol.email)).status).toBe(201);
    return id;
  };

  describe('create, list, get', () => {
    it('creates a group in the seed shape, the creator its admin', async () => {
      const res = await api.post('/api/groups', seedGroup, alice.token);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        success: true,
        message: 'Group created successfully',
        data: {
          _id: expect.any(String),
          name: 'Trip to Paris',
          description: 'Group expenses for our Paris vacation',
          createdBy: alice.id,
          members: [{ user: alice.id, role: 'admin', joinedAt: expect.any(String), isActive: true }],
          currency: 'EUR',
          settings: seedGroup.settings,
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      });
    });

    it('defaults the currency to the creator’s display currency and the settings', async () => {
      const user = await api.register();
      await api.patch('/api/auth/me', { settings: { currency: 'JPY' } }, user.token);
      const res = await api.post('/api/groups', { name: 'Flat' }, user.token);
      expect(res.body.data).toMatchObject({
        description: null,
        currency: 'JPY',
        settings: { allowPublicExpenses: false, requireApproval: false, defaultSplitMethod: 'equal' },
      });
      expect((await api.post('/api/groups', { name: 'Trip', currency: ' gbp ' }, user.token)).body.data.currency).toBe('GBP');
    });

    it('refuses bad input with the error shape', async () => {
      for (const body of [
        {},
        { name: '' },
        { name: 'x'.repeat(101) },
        { name: 'A', currency: 'XYZ' },
        { name: 'A', settings: { defaultSplitMethod: 'random' } },
        { name: 'A', settings: { requireApproval: 'yes' } },
        { name: 'A', description: 'd'.repeat(501) },
      ]) {
        const res = await api.post('/api/groups', body, alice.token);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
      }
      expect((await api.post('/api/groups', 'not json', alice.token)).status).toBe(400);
      expect((await api.post('/api/groups', seedGroup)).status).toBe(401);
    });

    it('lists the user’s groups with member and expense counts, newest first, a page at a time', async () => {
      const user = await api.register();
      const first = await newGroup(user.token, { name: 'First' });
      const second = await newGroup(user.token, { name: 'Second', currency: 'USD' });
      await add(second, bob.email, user.token);
      const res = await api.get('/api/groups', user.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        count: 2,
        data: [
          { _id: second, name: 'Second', description: null, memberCount: 2, totalExpenses: 0, currency: 'USD', role: 'admin', createdAt: expect.any(String) },
          { _id: first, name: 'First', description: null, memberCount: 1, totalExpenses: 0, currency: 'USD', role: 'admin', createdAt: expect.any(String) },
        ],
      });
      const page = await api.get('/api/groups?limit=1', user.token);
      expect(page.body.data.map((g: { _id: string }) => g._id)).toEqual([second]);
      const link = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')![1]!;
      const rest = await api.get(link, user.token);
      expect(rest.body.data.map((g: { _id: string }) => g._id)).toEqual([first]);
      expect(rest.headers.get('link')).toBeNull();
      expect((await api.get('/api/groups?page=2&limit=1', user.token)).body.data.map((g: { _id: string }) => g._id)).toEqual([first]);
      expect((await api.get('/api/groups?cursor=junk', user.token)).body.code).toBe('INVALID_CURSOR');
      expect((await api.get('/api/groups?limit=0', user.token)).status).toBe(400);
      // Bob sees the group he was added to, as a member.
      expect((await api.get('/api/groups', bob.token)).body.data.find((g: { _id: string }) => g._id === second)).toMatchObject({ role: 'member' });
    });

    it('gets a group with its members populated, and hides it from everyone else (404)', async () => {
      const id = await trio();
      const res = await api.get(`/api/groups/${id}`, bob.token);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ _id: id, name: 'Trip to Paris', currency: 'EUR', invitations: [], expenses: [] });
      expect(res.body.data.members).toEqual([
        { user: { _id: alice.id, name: 'Alice', email: alice.email }, role: 'admin', joinedAt: expect.any(String), isActive: true },
        { user: { _id: bob.id, name: 'Bob', email: bob.email }, role: 'member', joinedAt: expect.any(String), isActive: true },
        { user: { _id: carol.id, name: 'Carol', email: carol.email }, role: 'member', joinedAt: expect.any(String), isActive: true },
      ]);
      const stranger = await api.register();
      for (const path of ['', '/statistics', '/balances', '/settlements', '/settlements/suggested']) {
        const hidden = await api.get(`/api/groups/${id}${path}`, stranger.token);
        expect(hidden, path).toMatchObject({ status: 404, body: { success: false, code: 'NOT_FOUND', error: 'Group not found' } });
      }
      expect((await api.get('/api/groups/no-such-group', alice.token)).status).toBe(404);
      expect((await api.get(`/api/groups/${'x'.repeat(65)}`, alice.token)).status).toBe(400);
    });
  });

  describe('members', () => {
    it('adds an account by email, case-insensitively; twice is 409', async () => {
      const id = await newGroup();
      const res = await add(id, `  ${bob.email.toUpperCase()} `);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ success: true, message: 'Member added' });
      expect(res.body.data.members.map((m: { user: { _id: string }; role: string }) => [m.user._id, m.role])).toEqual([
        [alice.id, 'admin'],
        [bob.id, 'member'],
      ]);
      expect(await add(id, bob.email)).toMatchObject({ status: 409, body: { code: 'ALREADY_MEMBER' } });
      expect(await add(id, alice.email)).toMatchObject({ status: 409, body: { code: 'ALREADY_MEMBER' } });
    });

    it('invites an email without an account; it becomes a membership when that person registers', async () => {
      const id = await newGroup();
      const email = `later-${Math.random().toString(36).slice(2)}@example.com`;
      const res = await add(id, email);
      expect(res.status).toBe(201);
      expect(res.body.message).toMatch(/Invitation/);
      expect(res.body.data.invitations).toEqual([{ email, invitedBy: alice.id, invitedAt: expect.any(String) }]);
      expect(await add(id, email.toUpperCase())).toMatchObject({ status: 409, body: { code: 'ALREADY_INVITED' } });

      const dave = await api.register(email, 'Dave');
      const detail = (await api.get(`/api/groups/${id}`, dave.token)).body.data;
      expect(detail.invitations).toEqual([]);
      expect(detail.members.at(-1)).toMatchObject({ user: { _id: dave.id, name: 'Dave', email }, role: 'member', isActive: true });
      expect((await api.get('/api/groups', dave.token)).body.data.map((g: { _id: string }) => g._id)).toEqual([id]);
    });

    it('holds at most 100 members and pending invitations together (409 GROUP_FULL)', async () => {
      const id = await newGroup();
      const invitedAt = new Date().toISOString();
      await platform.db
        .insert(groupInvitations)
        .values(Array.from({ length: 98 }, (_, i) => ({ groupId: id, email: `guest${i}@example.com`, invitedBy: alice.id, invitedAt })));
      expect((await add(id, 'one-more@example.com')).status).toBe(201);
      expect(await add(id, 'too-many@example.com')).toMatchObject({ status: 409, body: { code: 'GROUP_FULL' } });
      expect(await add(id, bob.email)).toMatchObject({ status: 409, body: { code: 'GROUP_FULL' } });
    });

    it('stays within 100 when the last places are asked for at once', async () => {
      const id = await newGroup();
      const invitedAt = new Date().toISOString();
      await platform.db
        .insert(groupInvitations)
        .values(Array.from({ length: 97 }, (_, i) => ({ groupId: id, email: `guest${i}@example.com`, invitedBy: alice.id, invitedAt })));
      // One member and 97 invitations: two places left, four asking (two accounts, two emails).
      const asked = await Promise.all([add(id, bob.email), add(id, carol.email), add(id, 'x1@example.com'), add(id, 'x2@example.com')]);
      expect(asked.filter((r) => r.status === 201)).toHaveLength(2);
      expect(asked.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(['GROUP_FULL', 'GROUP_FULL']);
    });

    it('refuses a bad email', async () => {
      const id = await newGroup();
      for (const body of [{}, { email: 'not-an-email' }, { email: `${'a'.repeat(250)}@x.io` }, { email: 42 }]) {
        expect((await api.post(`/api/groups/${id}/members`, body, alice.token)).status, JSON.stringify(body)).toBe(400);
      }
    });

    it('lets only admins add or remove members (403 for a member, 404 for anyone else)', async () => {
      const id = await trio();
      const stranger = await api.register();
      expect(await add(id, stranger.email, bob.token)).toMatchObject({ status: 403, body: { success: false, code: 'FORBIDDEN' } });
      expect(await api.del(`/api/groups/${id}/members/${carol.id}`, bob.token)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
      expect((await add(id, carol.email, stranger.token)).status).toBe(404);
      expect((await api.del(`/api/groups/${id}/members/${carol.id}`, stranger.token)).status).toBe(404);
      expect((await api.get(`/api/groups/${id}`, alice.token)).body.data.members).toHaveLength(3);
    });

    it('removes a member, who then gets 404 for everything about the group; re-adding brings them back', async () => {
      const id = await trio();
      expect(await api.del(`/api/groups/${id}/members/${bob.id}`, alice.token)).toMatchObject({ status: 200, body: { success: true } });
      for (const path of ['', '/statistics', '/balances', '/settlements', '/settlements/suggested']) {
        expect((await api.get(`/api/groups/${id}${path}`, bob.token)).status, path).toBe(404);
      }
      expect((await api.post(`/api/groups/${id}/leave`, {}, bob.token)).status).toBe(404);
      expect((await api.post(`/api/groups/${id}/expenses`, { description: 'x', amount: 1, category: 'food' }, bob.token)).status).toBe(404);
      expect((await api.post(`/api/groups/${id}/settlements`, { fromUserId: bob.id, toUserId: alice.id, amount: 1 }, bob.token)).status).toBe(404);
      expect((await api.get('/api/groups', bob.token)).body.data.map((g: { _id: string }) => g._id)).not.toContain(id);
      const members = (await api.get(`/api/groups/${id}`, alice.token)).body.data.members;
      expect(members.find((m: { user: { _id: string } }) => m.user._id === bob.id)).toMatchObject({ isActive: false });
      expect((await api.get('/api/groups', alice.token)).body.data.find((g: { _id: string }) => g._id === id).memberCount).toBe(2);

      expect((await api.del(`/api/groups/${id}/members/${bob.id}`, alice.token)).status).toBe(404);
      expect((await api.del(`/api/groups/${id}/members/nobody`, alice.token)).body).toMatchObject({ code: 'NOT_FOUND', error: 'Member not found' });
      expect((await add(id, bob.email)).status).toBe(201);
      expect((await api.get(`/api/groups/${id}`, bob.token)).status).toBe(200);
    });

    it('keeps an active admin: the last one cannot remove themselves (409)', async () => {
      const id = await trio();
      expect(await api.del(`/api/groups/${id}/members/${alice.id}`, alice.token)).toMatchObject({ status: 409, body: { code: 'LAST_ADMIN' } });
    });
  });

  describe('leave', () => {
    it('lets a member leave; then the group is hidden from them', async () => {
      const id = await trio();
      expect(await api.post(`/api/groups/${id}/leave`, undefined, carol.token)).toMatchObject({ status: 200, body: { success: true } });
      expect((await api.get(`/api/groups/${id}`, carol.token)).status).toBe(404);
    });

    it('makes the last admin name a new admin (409 without, 400 for a bad one)', async () => {
      const id = await trio();
      expect(await api.post(`/api/groups/${id}/leave`, {}, alice.token)).toMatchObject({ status: 409, body: { code: 'LAST_ADMIN' } });
      expect(await api.post(`/api/groups/${id}/leave`, undefined, alice.token)).toMatchObject({ status: 409, body: { code: 'LAST_ADMIN' } });
      for (const newAdminId of [alice.id, 'nobody', (await api.register()).id]) {
        expect(await api.post(`/api/groups/${id}/leave`, { newAdminId }, alice.token)).toMatchObject({
          status: 400,
          body: { code: 'VALIDATION_FAILED', details: [{ path: 'json.newAdminId' }] },
        });
      }
      expect((await api.post(`/api/groups/${id}/leave`, { newAdminId: 5 }, alice.token)).status).toBe(400);
      expect((await api.post(`/api/groups/${id}/leave`, { newAdminId: bob.id }, alice.token)).status).toBe(200);
      const members = (await api.get(`/api/groups/${id}`, bob.token)).body.data.members;
      expect(members.map((m: { user: { name: string }; role: string; isActive: boolean }) => [m.user.name, m.role, m.isActive])).toEqual([
        ['Alice', 'admin', false],
        ['Bob', 'admin', true],
        ['Carol', 'member', true],
      ]);
      // Bob, now admin, can add; Alice is out.
      expect((await api.del(`/api/groups/${id}/members/${carol.id}`, bob.token)).status).toBe(200);
      expect((await api.get(`/api/groups/${id}`, alice.token)).status).toBe(404);
    });

    it('keeps an admin when the last admin and the heir they name leave at once', async () => {
      const id = await trio();
      const [aliceLeft, bobLeft] = await Promise.all([
        api.post(`/api/groups/${id}/leave`, { newAdminId: bob.id }, alice.token),
        api.post(`/api/groups/${id}/leave`, undefined, bob.token),
      ]);
      // Whichever runs first, the other finds itself the last admin (or without its heir): 409.
      expect([aliceLeft.status, bobLeft.status].sort()).toEqual([200, 409]);
      const members = (await api.get(`/api/groups/${id}`, carol.token)).body.data.members as { role: string; isActive: boolean }[];
      expect(members.filter((m) => m.isActive && m.role === 'admin')).toHaveLength(1);
    });

    it('does not let the only member leave (delete the group instead)', async () => {
      const id = await newGroup();
      expect(await api.post(`/api/groups/${id}/leave`, {}, alice.token)).toMatchObject({ status: 409, body: { code: 'LAST_ADMIN' } });
    });
  });

  describe('settings and delete', () => {
    it('lets an admin change the settings; a member gets 403', async () => {
      const id = await trio();
      const res = await api.put(`/api/groups/${id}/settings`, { defaultSplitMethod: 'shares', requireApproval: true }, alice.token);
      expect(res).toMatchObject({ status: 200, body: { success: true, data: { _id: id, settings: { allowPublicExpenses: false, requireApproval: true, defaultSplitMethod: 'shares' } } } });
      expect((await api.get(`/api/groups/${id}`, bob.token)).body.data.settings.defaultSplitMethod).toBe('shares');
      expect(await api.put(`/api/groups/${id}/settings`, { requireApproval: false }, bob.token)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
      expect((await api.put(`/api/groups/${id}/settings`, { requireApproval: false }, (await api.register()).token)).status).toBe(404);
      for (const body of [{}, { defaultSplitMethod: 'random' }, { allowPublicExpenses: 1 }]) {
        expect((await api.put(`/api/groups/${id}/settings`, body, alice.token)).status, JSON.stringify(body)).toBe(400);
      }
    });

    it('lets an admin delete the group; a member gets 403, then everyone 404', async () => {
      const id = await trio();
      expect(await api.del(`/api/groups/${id}`, bob.token)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
      expect(await api.del(`/api/groups/${id}`, alice.token)).toEqual(expect.objectContaining({ status: 200, body: { success: true, message: 'Group deleted' } }));
      expect((await api.get(`/api/groups/${id}`, alice.token)).status).toBe(404);
      expect((await api.get(`/api/groups/${id}`, bob.token)).status).toBe(404);
      expect((await api.del(`/api/groups/${id}`, alice.token)).status).toBe(404);
    });
  });
});
