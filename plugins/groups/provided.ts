import { currencyInfo } from '../../core/money.ts';
import type { Platform } from '../../core/platform.ts';
import type { GroupsService, LedgerEntry } from '../../core/services.ts';
import { readGroup } from './access.ts';
import { groupLedger } from './tables.ts';

/** Rows for the ledger table; checks what a caller's bug could get wrong (these are not user input). */
export function ledgerRows(platform: Platform, entries: readonly LedgerEntry[], extra: { recordedBy?: string; note?: string | null } = {}) {
  const createdAt = platform.clock.now().toISOString();
  return entries.map((e) => {
    const info = currencyInfo(e.currency);
    if (!info) throw new RangeError(`ledger entry: unknown currency ${e.currency}`);
    if (!Number.isSafeInteger(e.amountMinor) || e.amountMinor <= 0) throw new RangeError('ledger entry: amountMinor must be a positive integer');
    if (e.fromUserId === e.toUserId) throw new RangeError('ledger entry: from and to are the same user');
    if (Number.isNaN(Date.parse(e.date))) throw new RangeError('ledger entry: date is not an instant');
    return {
      id: platform.ids.next(),
      groupId: e.groupId,
      kind: e.kind,
      fromUserId: e.fromUserId,
      toUserId: e.toUserId,
      amountMinor: e.amountMinor,
      currency: e.currency,
      minorPerUnit: 10 ** info.digits,
      date: new Date(e.date).toISOString(),
      sourceId: e.sourceId,
      recordedBy: extra.recordedBy ?? null,
      note: extra.note ?? null,
      createdAt,
    };
  });
}

/** The `groups` service (core/services.ts): how other plugins (splits) see groups and write to their ledger. */
export const groupsService = (platform: Platform): GroupsService => ({
  async visibleTo(groupId, userId) {
    const found = await readGroup(platform, groupId);
    if (!found || !found.members.some((m) => m.userId === userId && m.isActive)) return null;
    const { group, members } = found;
    return {
      id: group.id,
      name: group.name,
      currency: group.currency,
      defaultSplitMethod: group.defaultSplitMethod,
      members: members.map(({ userId, name, email, role, isActive }) => ({ userId, name, email, role, isActive })),
    };
  },
  ledgerStatements(entries) {
    if (entries.length === 0) return [];
    return [platform.db.insert(groupLedger).values(ledgerRows(platform, entries))];
  },
});
