import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../../core/auth/tables.ts';

export const RECEIPT_STATUSES = ['pending', 'done', 'failed'] as const;
export type ReceiptStatus = (typeof RECEIPT_STATUSES)[number];

export const receipts = sqliteTable(
  'receipt',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The owner's expense it belongs to (the expenses plugin's id; no foreign key across plugins). */
    expenseId: text('expense_id'),
    /** The client's file name, as text only: the file is stored under the receipt's id. */
    filename: text('filename').notNull(),
    /** Detected from the bytes: image/png, image/jpeg, image/webp or application/pdf. */
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    status: text('status', { enum: RECEIPT_STATUSES }).notNull(),
    /** Why a reading failed (for the user), null otherwise. */
    failureReason: text('failure_reason'),
    extractedText: text('extracted_text'),
    /** The total as printed, in hundredths: every amount a reading takes has two decimals, whatever the currency is. */
    totalHundredths: integer('total_hundredths'),
    currency: text('currency'),
    /** YYYY-MM-DD as printed. */
    date: text('date'),
    merchant: text('merchant'),
    lineItems: text('line_items', { mode: 'json' }).$type<{ description: string; amount: number }[]>().notNull().default([]),
    confidence: real('confidence'),
    /** Readings tried: a file that crashes the reader is given up after a few. */
    attempts: integer('attempts').notNull().default(0),
    /** A reader holds the pending receipt until then (ISO instant); another may take it after. */
    claimedUntil: text('claimed_until'),
    createdAt: text('created_at').notNull(),
    processedAt: text('processed_at'),
  },
  (t) => [
    index('receipt_user_idx').on(t.userId, t.id),
    index('receipt_user_expense_idx').on(t.userId, t.expenseId),
    index('receipt_pending_idx').on(t.status, t.claimedUntil),
  ],
);
