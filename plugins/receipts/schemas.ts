import { z } from '@hono/zod-openapi';
import { pagingQuery } from '../../core/http/paging.ts';
import { Instant, Integer } from '../../core/schemas.ts';
import { MAX_ITEM_DESCRIPTION, MAX_LINE_ITEMS, MAX_MERCHANT } from './extract.ts';
import { RECEIPT_STATUSES } from './tables.ts';

/** The text kept of a reading: a receipt's text is a few hundred characters; a long PDF is cut here. */
export const MAX_EXTRACTED_TEXT = 20_000;
export const MAX_FILENAME = 255;
/** Receipts linked to one expense that GET /api/receipts/expense/{expenseId} returns. */
export const MAX_PER_EXPENSE = 100;

const Id = z.string().min(1).max(64).openapi({ example: '01936f4c-5a2b-7c3d-8e4f-a1b2c3d4e5f6' });
export const ReceiptIdParam = z.object({ id: Id.openapi({ param: { name: 'id', in: 'path' } }) });
export const ExpenseIdParam = z.object({ expenseId: Id.openapi({ param: { name: 'expenseId', in: 'path' } }) });

const Money = z.number().min(0).max(1e9);

export const LineItem = z
  .object({ description: z.string().max(MAX_ITEM_DESCRIPTION).openapi({ example: 'Cappuccino' }), amount: Money.openapi({ example: 2.5 }) })
  .openapi('ReceiptLineItem');

export const OcrData = z
  .object({
    status: z.enum(RECEIPT_STATUSES).openapi({ description: '`pending` until the reading is done; then `done` or `failed` (see `failureReason`)' }),
    extractedText: z.string().max(MAX_EXTRACTED_TEXT).nullable().openapi({ example: 'Total: $25.50', description: 'The text read, line by line; null while pending' }),
    extractedAmount: Money.nullable().openapi({ example: 25.5, description: 'The total to pay (TOTAL, AMOUNT DUE, GRAND TOTAL or BALANCE; never a subtotal, tax, change or cash line); null when not found' }),
    confidence: z.number().min(0).max(1).nullable().openapi({ example: 0.85, description: "The engine's confidence in the text weighed by how clearly the total was labelled; 0 without a total, null while pending" }),
    merchant: z.string().max(MAX_MERCHANT).nullable().openapi({ example: 'FRESH MARKET' }),
    date: z.string().max(10).nullable().openapi({ example: '2024-03-15', description: 'YYYY-MM-DD as printed; null when not found' }),
    currency: z.string().max(3).nullable().openapi({ example: 'USD', description: 'ISO 4217, from a symbol or code printed on the receipt ($ is read as USD unless another dollar code is printed); null when none is' }),
    lineItems: z.array(LineItem).max(MAX_LINE_ITEMS).openapi({ description: 'The items above the sums, as printed' }),
    failureReason: z.string().max(500).nullable().openapi({ description: 'Why the reading failed, when it did' }),
    processedAt: Instant.nullable(),
  })
  .openapi('ReceiptOcrData', { description: 'What was read. A value not clearly on the receipt is null, never guessed.' });

export const Receipt = z
  .object({
    _id: Id,
    filename: z.string().max(MAX_FILENAME).openapi({ example: 'receipt-123456.jpg', description: 'The uploaded file’s name, as text' }),
    fileUrl: z.string().max(200).openapi({ example: '/api/receipts/01936f4c-5a2b-7c3d-8e4f-a1b2c3d4e5f6/file', description: 'Where the owner downloads the file (this API, with the token)' }),
    fileType: z.enum(['image', 'pdf']),
    contentType: z.enum(['image/png', 'image/jpeg', 'image/webp', 'application/pdf']).openapi({ description: 'Detected from the bytes' }),
    size: Integer(1, 100 * 1024 * 1024).openapi({ description: 'Bytes' }),
    expenseId: Id.nullable().openapi({ description: 'The expense it belongs to, if any' }),
    ocrData: OcrData,
    createdAt: Instant,
  })
  .openapi('Receipt');
export type ReceiptView = z.infer<typeof Receipt>;

export const ReceiptList = z.array(Receipt).max(200).openapi('ReceiptList');
export const ExpenseReceipts = z.array(Receipt).max(MAX_PER_EXPENSE).openapi('ExpenseReceiptList');

export const ListReceiptsQuery = z.object(pagingQuery);

export const UploadForm = z
  .object({
    // Checked by the handler: the file part's bytes decide its type, and 413/415 are the answers.
    receipt: z.any().openapi({ type: 'string', format: 'binary', maxLength: 100 * 1024 * 1024, description: 'The receipt: PNG, JPEG, WebP or PDF (detected from the bytes), at most RECEIPT_MAX_BYTES (10 MB by default)' }),
    expenseId: Id.optional().openapi({ description: 'One of your expenses to attach the receipt to' }),
  })
  .openapi('ReceiptUpload');

// The corrections a user makes to a reading before it becomes an expense; what is not given comes from the reading.
export const CreateExpenseFromReceipt = z
  .object({
    description: z.string().trim().min(1).max(500).optional().openapi({ description: 'Default: the merchant, else "Receipt"' }),
    amount: z.number().positive().lt(1e12).optional().openapi({ description: 'Default: the total read' }),
    currency: z.string().trim().max(3).optional().openapi({ description: 'ISO 4217; default: the currency read, else your display currency' }),
    category: z.string().trim().min(1).max(40).default('other').openapi({ description: 'Default: other' }),
    date: z.string().max(40).optional().openapi({ description: 'YYYY-MM-DD or an ISO 8601 date-time; default: the date read, else now' }),
    merchant: z.string().trim().min(1).max(200).nullable().optional().openapi({ description: 'Default: the merchant read' }),
    notes: z.string().trim().max(2000).nullable().optional(),
  })
  .openapi('CreateExpenseFromReceiptRequest');

export const CreatedFromReceipt = z
  .object({
    receipt: Receipt,
    expense: z
      .object({
        _id: Id,
        description: z.string().max(500),
        amount: z.number().min(0).max(1e12),
        currency: z.string().max(3),
        category: z.string().max(40),
        type: z.enum(['expense', 'income']),
        date: Instant,
        merchant: z.string().max(200).nullable(),
      })
      .openapi({ description: 'The new expense (GET /api/expenses/{id} shows it in full)' }),
  })
  .openapi('ExpenseFromReceipt');

/** Receipts one claim of the OCR worker takes. */
export const MAX_CLAIM = 20;

export const ClaimBody = z
  .object({ limit: Integer(1, MAX_CLAIM).default(4).openapi({ description: 'How many pending receipts to take at most' }) })
  .openapi('OcrWorkerClaimRequest');

export const Claimed = z
  .object({
    receipts: z
      .array(
        z.object({
          _id: Id,
          contentType: z.enum(['image/png', 'image/jpeg', 'image/webp', 'application/pdf']),
          size: Integer(1, 100 * 1024 * 1024),
          attempts: Integer(1, 1000).openapi({ description: 'Readings tried, this one included' }),
        }),
      )
      .max(MAX_CLAIM),
  })
  .openapi('OcrWorkerClaim', { description: 'Pending receipts held for this worker for a minute: read each and post the reading back' });

export const PostedReading = z
  .union([
    z
      .object({
        reading: z.object({
          lines: z.array(z.object({ text: z.string().max(1000), confidence: z.number().min(0).max(1) })).max(2000),
          confidence: z.number().min(0).max(1),
          source: z.enum(['ocr', 'pdf-text']),
        }),
      })
      .openapi('OcrWorkerText', { description: 'The text read, line by line: the server extracts the fields with the same code as in process' }),
    z.object({ failureReason: z.string().min(1).max(500) }).openapi('OcrWorkerFailure', { description: 'The file holds no text the reader can get at' }),
  ])
  .openapi('OcrWorkerReading');
