import { eq, inArray } from 'drizzle-orm';
import type { Platform } from '../../core/platform.ts';
import { splitPayments, splitReminders, splits, splitShares } from './tables.ts';

/**
 * A deleted group takes its splits along: their debts were in its ledger, which is gone, and a
 * share paid afterwards would have no ledger to record into. Explicit deletes in one batch, not
 * only ON DELETE CASCADE: a remote database may run without foreign keys.
 */
export async function forgetGroup(platform: Platform, groupId: string) {
  const { db } = platform;
  const ofGroup = db.select({ id: splits.id }).from(splits).where(eq(splits.groupId, groupId));
  await db.batch([
    db.delete(splitReminders).where(inArray(splitReminders.splitId, ofGroup)),
    db.delete(splitPayments).where(inArray(splitPayments.splitId, ofGroup)),
    db.delete(splitShares).where(inArray(splitShares.splitId, ofGroup)),
    db.delete(splits).where(eq(splits.groupId, groupId)),
  ]);
}
