import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../core/services.ts';
import { createTestApp } from '../../tests/support/app.ts';
import { groupLedger, groupMembers, groups } from './tables.ts';

describe('the groups service', async () => {
  const { api, platform } = await createTestApp();
  const alice = await api.register(undefined, 'Alice');
  const bob = await api.register(undefined, 'Bob');
  const service = platform.services.groups;

  const newGroup = async () => {
    const res = await api.post('/api/groups', { name: 'Flat', currency: 'EUR', settings: { defaultSplitMethod: 'shares' } }, alice.token);
    expect(res.status).toBe(201);
    return res.body.data._id as string;
  };
  const entry = (groupId: string, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
    groupId,
    kind: 'debt',
    fromUserId: bob.id,
    toUserId: alice.id,
    amountMinor: 1234,
    currency: 'EUR',
    date: '2024-01-15T10:00:00.000Z',
    sourceId: 'split-1',
    ...over,
  });

  it('shows a group to its active members only', async () => {
    const id = await newGroup();
    expect(await service.visibleTo(id, alice.id)).toEqual({
      id,
      name: 'Flat',
      currency: 'EUR',
      defaultSplitMethod: 'shares',
      members: [{ userId: alice.id, name: 'Alice', email: alice.email, role: 'admin', isActive: true }],
    });
    expect(await service.visibleTo(id, bob.id)).toBeNull();
    expect(await service.visibleTo('no-such-group', alice.id)).toBeNull();

    // An inactive member (left or removed) sees nothing either.
    await platform.db.insert(groupMembers).values({ groupId: id, userId: bob.id, role: 'member', isActive: false, joinedAt: new Date().toISOString() });
    expect(await service.visibleTo(id, bob.id)).toBeNull();
    expect((await service.visibleTo(id, alice.id))!.members.map((m) => [m.name, m.isActive])).toEqual([
      ['Alice', true],
      ['Bob', false],
    ]);
  });

  it('gives ledger statements that land with the caller’s batch, or not at all', async () => {
    const id = await newGroup();
    const { db } = platform;
    const ledgerOf = () => db.select().from(groupLedger).where(eq(groupLedger.groupId, id));

    await db.batch([
      db.update(groups).set({ name: 'Flat 2' }).where(eq(groups.id, id)),
      ...service.ledgerStatements([entry(id), entry(id, { kind: 'payment', amountMinor: 500, currency: 'JPY', date: '2024-02-01' })]),
    ]);
    const rows = await ledgerOf();
    expect(rows.map((r) => [r.kind, r.amountMinor, r.currency, r.minorPerUnit, r.date, r.sourceId])).toEqual([
      ['debt', 1234, 'EUR', 100, '2024-01-15T10:00:00.000Z', 'split-1'],
      ['payment', 500, 'JPY', 1, '2024-02-01T00:00:00.000Z', 'split-1'],
    ]);

    // The batch fails on its last statement (a duplicate group id): the ledger entry goes with it.
    const [existing] = await db.select().from(groups).where(eq(groups.id, id));
    const [statement] = service.ledgerStatements([entry(id, { amountMinor: 1 })]);
    await expect(db.batch([statement!, db.insert(groups).values(existing!)])).rejects.toThrow();
    expect(await ledgerOf()).toHaveLength(2);
    expect(service.ledgerStatements([])).toEqual([]);
  });

  it('refuses entries no caller should build', async () => {
    const id = await newGroup();
    expect(() => service.ledgerStatements([entry(id, { amountMinor: 0 })])).toThrow(RangeError);
    expect(() => service.ledgerStatements([entry(id, { amountMinor: 1.5 })])).toThrow(RangeError);
    expect(() => service.ledgerStatements([entry(id, { toUserId: bob.id })])).toThrow(RangeError);
    expect(() => service.ledgerStatements([entry(id, { currency: 'XXX' })])).toThrow(RangeError);
    expect(() => service.ledgerStatements([entry(id, { date: 'yesterday' })])).toThrow(RangeError);
  });
});
