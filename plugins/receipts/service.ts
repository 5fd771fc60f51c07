import { and, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { AuthUser } from '../../core/auth/require-auth.ts';
import { AppError, notFound } from '../../core/http/errors.ts';
import { decodeCursor, pageOf, pageOffset } from '../../core/http/paging.ts';
import { errorFields } from '../../core/logger.ts';
import { UnreadableFile, type ReadableType, type TextReading } from '../../core/ocr/port.ts';
import type { Platform } from '../../core/platform.ts';
import { ACCEPTED, detectType } from './detect.ts';
import { extract } from './extract.ts';
import { MAX_EXTRACTED_TEXT, MAX_FILENAME, MAX_PER_EXPENSE, type ReceiptView } from './schemas.ts';
import { receipts } from './tables.ts';

type Row = typeof receipts.$inferSelect;

/** How long a reader holds a pending receipt; after that (a crash) another may take it. */
export const CLAIM_MS = 60_000;
/** Readings tried before a receipt that keeps failing for no stated reason is given up. */
export const MAX_ATTEMPTS = 3;

const blobKey = (id: string) => `receipts/${id}`;

function blobsOf(platform: Platform) {
  if (!platform.blobs) throw new Error('this host offers no blob storage: receipts need one');
  return platform.blobs;
}

export function view(row: Row): ReceiptView {
  return {
    _id: row.id,
    filename: row.filename,
    fileUrl: `/api/receipts/${row.id}/file`,
    fileType: ACCEPTED[row.contentType as ReadableType].fileType,
    contentType: row.contentType as ReadableType,
    size: row.size,
    expenseId: row.expenseId,
    ocrData: {
      status: row.status,
      extractedText: row.extractedText,
      extractedAmount: row.totalHundredths === null ? null : row.totalHundredths / 100,
      confidence: row.confidence,
      merchant: row.merchant,
      date: row.date,
      currency: row.currency,
      lineItems: row.lineItems,
      failureReason: row.failureReason,
      processedAt: row.processedAt,
    },
    createdAt: row.createdAt,
  };
}

async function ownRow(platform: Platform, userId: string, id: string): Promise<Row> {
  const [row] = await platform.db
    .select()
    .from(receipts)
    .where(and(eq(receipts.id, id), eq(receipts.userId, userId)));
  // Another user's receipt is as absent as one that never was.
  if (!row) throw notFound('Receipt');
  return row;
}

/** The user's own expense, else 404: a receipt is never attached to someone else's. */
async function requireOwnExpense(platform: Platform, userId: string, expenseId: string) {
  const [expense] = await platform.services.expenses.find([expenseId]);
  if (!expense || expense.userId !== userId) throw notFound('Expense');
  return expense;
}

/** A file name kept as text for display: control characters and path parts dropped, bounded. */
function cleanName(name: string | undefined, id: string, type: ReadableType): string {
  const base = (name ?? '').split(/[/\\]/).pop()!.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return (base || `receipt-${id}.${ACCEPTED[type].extension}`).slice(0, MAX_FILENAME);
}

/** Readings under way in this process, by receipt id: the upload waits on its own, the resume job skips them. */
const inFlight = new WeakMap<Platform, Map<string, Promise<void>>>();
const readingsOf = (platform: Platform) => {
  let map = inFlight.get(platform);
  if (!map) inFlight.set(platform, (map = new Map()));
  return map;
};

/**
 * Stores the upload (the file under its id, the receipt pending) and starts its reading; answers
 * when the reading is done or after RECEIPT_OCR_WAIT_MS, whichever comes first. A host without an
 * OCR port (Workers) leaves it pending for the OCR worker.
 */
export async function uploadReceipt(platform: Platform, user: AuthUser, file: File, expenseId: string | undefined): Promise<ReceiptView> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = await detectType(bytes);
  if (!type) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The receipt must be a PNG, JPEG, WebP or PDF file (judged by its content, not its name)');
  if (expenseId !== undefined) await requireOwnExpense(platform, user.id, expenseId);
  const id = platform.ids.next();
  const blobs = blobsOf(platform);
  await blobs.put(blobKey(id), bytes);
  try {
    await platform.db.insert(receipts).values({
      id,
      userId: user.id,
      expenseId: expenseId ?? null,
      filename: cleanName(file.name, id, type),
      contentType: type,
      size: bytes.byteLength,
      status: 'pending',
      createdAt: platform.clock.now().toISOString(),
    });
  } catch (err) {
    await blobs.delete(blobKey(id)).catch(() => undefined);
    throw err;
  }
  if (platform.ocr) {
    const reading = readReceipt(platform, id, bytes);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, platform.config.RECEIPT_OCR_WAIT_MS)));
    await Promise.race([reading, waited]);
    clearTimeout(timer);
  }
  return view(await ownRow(platform, user.id, id));
}

/**
 * Reads one pending receipt, if no other reader holds it: claims it, reads the file with the
 * OCR port, stores what the text says (or why it could not be read) and announces it
 * (`receipt.processed`). A passing fault (the engine crashed) leaves it pending for a later try,
 * up to MAX_ATTEMPTS. Never throws: failures are the receipt's state or the log's.
 */
export function readReceipt(platform: Platform, id: string, bytes?: Uint8Array): Promise<void> {
  const readings = readingsOf(platform);
  const running = readings.get(id);
  if (running) return running;
  const reading = read(platform, id, bytes)
    .catch((err) => platform.logger.error('receipt reading failed', { receiptId: id, ...errorFields(err) }))
    .finally(() => readings.delete(id));
  readings.set(id, reading);
  return reading;
}

/** Pending receipts nobody holds, taken for CLAIM_MS: `id` alone, or up to `limit` of the oldest. */
async function claim(platform: Platform, which: { id: string } | { limit: number }): Promise<Row[]> {
  const { db, clock } = platform;
  const now = clock.now();
  const free = and(eq(receipts.status, 'pending'), or(isNull(receipts.claimedUntil), lt(receipts.claimedUntil, now.toISOString())));
  const ids =
    'id' in which
      ? [which.id]
      : (await db.select({ id: receipts.id }).from(receipts).where(free).orderBy(receipts.id).limit(which.limit)).map((r) => r.id);
  if (ids.length === 0) return [];
  // The condition is checked again in the update: of two readers, one gets each receipt.
  return db
    .update(receipts)
    .set({ claimedUntil: new Date(now.getTime() + CLAIM_MS).toISOString(), attempts: sql`${receipts.attempts} + 1` })
    .where(and(inArray(receipts.id, ids), free))
    .returning();
}

/** Tries of finish() when a user's write (an expense made from the receipt) moves the row between its read and its write. */
const FINISH_TRIES = 5;

/**
 * Stores a reading's outcome on a receipt still pending, with its `receipt.processed` event in
 * the owner's feed in the same batch, and announces it; false when it is gone or already read.
 * The event shows the receipt as the write leaves it, built from the row read just before: the
 * batch writes (event and outcome) only if the fields a user may change meanwhile are still as
 * read, and is tried again with a fresh read if not.
 */
async function finish(platform: Platform, id: string, outcome: Partial<Row>): Promise<boolean> {
  const { db } = platform;
  for (let tries = 0; tries < FINISH_TRIES; tries++) {
    const [current] = await db
      .select()
      .from(receipts)
      .where(and(eq(receipts.id, id), eq(receipts.status, 'pending')));
    // Deleted or read meanwhile: nothing to store or announce.
    if (!current) return false;
    const processedAt = platform.clock.now().toISOString();
    const asRead = and(
      eq(receipts.id, id),
      eq(receipts.status, 'pending'),
      sql`${receipts.expenseId} is ${current.expenseId}`,
      sql`${receipts.filename} is ${current.filename}`,
    )!;
    const next: Row = { ...current, ...outcome, claimedUntil: null, processedAt };
    const [, , written] = await db.batch([
      ...(platform.feed.record(
        db,
        { userId: current.userId, type: 'receipt.processed', at: processedAt, data: { receipt: view(next) } },
        sql`exists (select 1 from ${receipts} where ${asRead})`,
      ) as [BatchItem<'sqlite'>, BatchItem<'sqlite'>]),
      db.update(receipts).set({ ...outcome, claimedUntil: null, processedAt }).where(asRead).returning(),
    ]);
    const [row] = written;
    if (row) {
      await platform.events.emit('receipt.processed', { userId: row.userId, receipt: view(row) });
      return true;
    }
  }
  throw new Error(`receipt ${id}: its row kept changing while its reading was stored`);
}

async function read(platform: Platform, id: string, given?: Uint8Array) {
  const { db, ocr } = platform;
  if (!ocr) return;
  const [claimed] = await claim(platform, { id });
  if (!claimed) return;
  const bytes = given ?? (await blobsOf(platform).get(blobKey(id)));
  let outcome: Partial<Row>;
  if (!bytes) {
    outcome = { status: 'failed', failureReason: 'The file is missing from storage' };
  } else {
    try {
      const reading = await ocr.read(bytes, claimed.contentType as ReadableType);
      outcome = { status: 'done', ...readingFields(reading) };
    } catch (err) {
      if (err instanceof UnreadableFile) {
        outcome = { status: 'failed', failureReason: err.message.slice(0, 500) };
      } else if (claimed.attempts >= MAX_ATTEMPTS) {
        platform.logger.error('receipt reading failed: given up', { receiptId: id, attempts: claimed.attempts, ...errorFields(err) });
        outcome = { status: 'failed', failureReason: 'The file could not be read' };
      } else {
        // Released for the next try (the resume job), the fault logged.
        await db.update(receipts).set({ claimedUntil: null }).where(eq(receipts.id, id));
        throw err;
      }
    }
  }
  await finish(platform, id, outcome);
}

/** For the OCR worker: up to `limit` pending receipts, held for it for CLAIM_MS. */
export async function claimForWorker(platform: Platform, limit: number) {
  const taken = await claim(platform, { limit });
  // Taken too often without a reading coming back (the worker crashes on it): given up.
  for (const r of taken.filter((r) => r.attempts > MAX_ATTEMPTS)) await finish(platform, r.id, { status: 'failed', failureReason: 'The file could not be read' });
  return taken.filter((r) => r.attempts <= MAX_ATTEMPTS).map((r) => ({ _id: r.id, contentType: r.contentType as ReadableType, size: r.size, attempts: r.attempts }));
}

/** For the OCR worker: the bytes of a pending receipt. */
export async function pendingFile(platform: Platform, id: string) {
  const [row] = await platform.db
    .select()
    .from(receipts)
    .where(and(eq(receipts.id, id), eq(receipts.status, 'pending')));
  const bytes = row && (await blobsOf(platform).get(blobKey(id)));
  if (!row || !bytes) throw notFound('Pending receipt');
  return { bytes, contentType: row.contentType };
}

/**
 * The OCR worker's reading of a pending receipt: the text it read (extracted here, with the
 * same code as a reading in process) or why the file could not be read. 404 when the receipt
 * is not pending any more (deleted, or read by another).
 */
export async function postedReading(platform: Platform, id: string, posted: { reading: TextReading } | { failureReason: string }) {
  const outcome: Partial<Row> = 'reading' in posted ? { status: 'done', ...readingFields(posted.reading) } : { status: 'failed', failureReason: posted.failureReason };
  if (!(await finish(platform, id, outcome))) throw notFound('Pending receipt');
  return getReceiptAnyOwner(platform, id);
}

async function getReceiptAnyOwner(platform: Platform, id: string): Promise<ReceiptView> {
  const [row] = await platform.db.select().from(receipts).where(eq(receipts.id, id));
  if (!row) throw notFound('Receipt');
  return view(row);
}

/** What a reading stores: its text and what the text says. */
export function readingFields(reading: Parameters<typeof extract>[0]): Partial<Row> {
  const found = extract(reading);
  return {
    extractedText: reading.lines
      .map((l) => l.text)
      .join('\n')
      .slice(0, MAX_EXTRACTED_TEXT),
    totalHundredths: found.total === null ? null : Math.round(found.total * 100),
    currency: found.currency,
    date: found.date,
    merchant: found.merchant,
    lineItems: found.lineItems,
    confidence: found.confidence,
  };
}

/**
 * Pending receipts nobody holds (after a restart, or left by a passing fault), read one after
 * another. Returns how many were read, and when the next held one's claim lapses (a reader that
 * died holds its receipt until then), or null when none is held.
 */
export async function resumeReadings(platform: Platform, limit = 100): Promise<{ read: number; nextLapse: Date | null }> {
  if (!platform.ocr) return { read: 0, nextLapse: null };
  const now = platform.clock.now().toISOString();
  const pending = await platform.db
    .select({ id: receipts.id })
    .from(receipts)
    .where(and(eq(receipts.status, 'pending'), or(isNull(receipts.claimedUntil), lt(receipts.claimedUntil, now))))
    .orderBy(receipts.id)
    .limit(limit);
  for (const { id } of pending) await readReceipt(platform, id);
  const [held] = await platform.db
    .select({ until: receipts.claimedUntil })
    .from(receipts)
    .where(and(eq(receipts.status, 'pending'), gte(receipts.claimedUntil, platform.clock.now().toISOString())))
    .orderBy(receipts.claimedUntil)
    .limit(1);
  return { read: pending.length, nextLapse: held?.until ? new Date(held.until) : null };
}

export async function getReceipt(platform: Platform, userId: string, id: string): Promise<ReceiptView> {
  return view(await ownRow(platform, userId, id));
}

/** The stored bytes and their detected type; 404 for anyone but the owner. */
export async function receiptFile(platform: Platform, userId: string, id: string) {
  const row = await ownRow(platform, userId, id);
  const bytes = await blobsOf(platform).get(blobKey(id));
  if (!bytes) throw notFound('Receipt file');
  return { bytes, contentType: row.contentType, filename: row.filename };
}

/** Newest first, a page at a time (ids are time-ordered). */
export async function listReceipts(platform: Platform, userId: string, query: { limit: number; cursor?: string | undefined; page?: number | undefined }, url: string) {
  const after = query.cursor ? decodeCursor(query.cursor, 1)[0]! : null;
  const rows = await platform.db
    .select()
    .from(receipts)
    .where(and(eq(receipts.userId, userId), after ? lt(receipts.id, after) : undefined))
    .orderBy(desc(receipts.id))
    .limit(query.limit + 1)
    .offset(pageOffset(query));
  const { page, link } = pageOf(rows, query, url, (r) => [r.id]);
  return { receipts: page.map(view), link };
}

export async function receiptsOfExpense(platform: Platform, userId: string, expenseId: string): Promise<ReceiptView[]> {
  await requireOwnExpense(platform, userId, expenseId);
  const rows = await platform.db
    .select()
    .from(receipts)
    .where(and(eq(receipts.userId, userId), eq(receipts.expenseId, expenseId)))
    .orderBy(desc(receipts.id))
    .limit(MAX_PER_EXPENSE);
  return rows.map(view);
}

/** The receipt's row, then its file: a failure between the two leaves a file no row points at, never the reverse. */
export async function deleteReceipt(platform: Platform, userId: string, id: string): Promise<void> {
  const deleted = await platform.db
    .delete(receipts)
    .where(and(eq(receipts.id, id), eq(receipts.userId, userId)))
    .returning({ id: receipts.id });
  if (deleted.length === 0) throw notFound('Receipt');
  await blobsOf(platform).delete(blobKey(id));
}

export interface Corrections {
  description?: string | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
  category: string;
  date?: string | undefined;
  merchant?: string | null | undefined;
  notes?: string | null | undefined;
}

/**
 * An expense from the reading and the user's corrections, created by the expenses plugin's
 * service (its checks, its events) with the link to this receipt in the same batch.
 */
export async function expenseFromReceipt(platform: Platform, user: AuthUser, id: string, corrections: Corrections) {
  const row = await ownRow(platform, user.id, id);
  if (row.expenseId !== null) throw new AppError('RECEIPT_LINKED', 'This receipt already belongs to an expense', [{ path: 'expenseId', message: row.expenseId }]);
  const amount = corrections.amount ?? (row.totalHundredths === null ? undefined : row.totalHundredths / 100);
  if (amount === undefined) throw new AppError('AMOUNT_REQUIRED', 'No total was read from this receipt: give the amount', [{ path: 'amount', message: 'is required' }]);
  const merchant = corrections.merchant !== undefined ? corrections.merchant : row.merchant;
  const currency = corrections.currency ?? row.currency ?? undefined;
  const date = corrections.date ?? row.date ?? undefined;
  const input = {
    description: corrections.description ?? merchant ?? 'Receipt',
    amount,
    category: corrections.category,
    ...(currency && { currency }),
    ...(date && { date }),
    ...(merchant !== null && merchant !== undefined && { merchant: merchant.slice(0, 200) }),
    ...(corrections.notes !== undefined && { notes: corrections.notes }),
  };
  // The link lands in the expense's batch. Linked meanwhile by a concurrent request, the NOT NULL
  // file name would become null: the whole batch fails, and no second expense is made.
  const link = (expenseId: string) => [
    platform.db
      .update(receipts)
      .set({ expenseId, filename: sql`case when ${receipts.expenseId} is null then ${receipts.filename} else null end` })
      .where(eq(receipts.id, id)),
  ];
  let expense;
  try {
    expense = await platform.services.expenses.create(user, input, link);
  } catch (err) {
    const now = await platform.db.select({ expenseId: receipts.expenseId }).from(receipts).where(eq(receipts.id, id));
    if (now[0]?.expenseId) throw new AppError('RECEIPT_LINKED', 'This receipt already belongs to an expense', [{ path: 'expenseId', message: now[0].expenseId }]);
    throw err;
  }
  return {
    receipt: view(await ownRow(platform, user.id, id)),
    expense: {
      _id: expense.id,
      description: expense.description,
      amount: expense.amount,
      currency: expense.currency,
      category: expense.category,
      type: expense.type,
      date: expense.date,
      merchant: expense.merchant,
    },
  };
}

/** An expense deleted: its receipts stay, unlinked. */
export async function unlinkExpense(platform: Platform, userId: string, expenseId: string) {
  await platform.db
    .update(receipts)
    .set({ expenseId: null })
    .where(and(eq(receipts.userId, userId), eq(receipts.expenseId, expenseId)));
}
