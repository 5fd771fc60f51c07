import { z } from '@hono/zod-openapi';
import { AppError } from '../../core/http/errors.ts';
import { decodeCursor, pagingQuery } from '../../core/http/paging.ts';
import { Instant, Integer, QueryInteger } from '../../core/schemas.ts';

export const MAX_AUDIT_PAGE = 100;
/** A logged value longer than this is cut (a receipt's OCR text, say): the log keeps it whole. */
export const MAX_VALUE_LENGTH = 2000;

const FieldValue = z.union([z.string().max(MAX_VALUE_LENGTH + 1), z.number(), z.null()]);
const Fields = z
  .record(z.string().max(64), FieldValue)
  .nullable()
  .openapi({ description: 'Column name → value; secrets read "[redacted]"', example: { amount_minor: 2000, description: 'Museum' } });

export const AuditEntry = z
  .object({
    id: Integer(1, Number.MAX_SAFE_INTEGER).openapi({ description: 'Position in the log (the hash chain)' }),
    at: Instant,
    entity: z.string().max(64).openapi({ example: 'expense', description: 'The table written' }),
    entityId: z.string().max(300).openapi({ example: '019a6b0e-6c2f-7d3a-9b1e-3f0c2a1d4e5f', description: 'Its key; the parts of a composite key joined by ":"' }),
    op: z.enum(['CREATE', 'UPDATE', 'DELETE']),
    before: Fields.openapi({ description: 'For an update the changed fields as they were; the whole row for a delete; null for a create' }),
    after: Fields.openapi({ description: 'For an update the changed fields as they became; the whole row for a create; null for a delete' }),
    actorId: z.string().max(64).nullable().openapi({ description: 'Who was signed in; null for a sign-up, a login, or a scheduled job' }),
    requestId: z.string().max(255).nullable().openapi({ description: 'The X-Request-Id of the request that wrote; null for a scheduled job' }),
    ip: z.string().max(100).nullable().openapi({ description: "The client's address as the server saw it; null when another user wrote (their address is theirs)" }),
    sealed: z.boolean().openapi({ description: 'Whether the entry is in the hash chain yet (it is sealed right after the write)' }),
  })
  .openapi('AuditEntry');

export const AuditPage = z
  .object({
    entries: z.array(AuditEntry).max(MAX_AUDIT_PAGE),
    nextCursor: z.string().max(512).nullable().openapi({ description: 'For the next (older) page; null on the last' }),
  })
  .openapi('AuditPage');

export const AuditQuery = z.object({
  limit: QueryInteger(1, MAX_AUDIT_PAGE).default(50).openapi({ description: `Page size, at most ${MAX_AUDIT_PAGE}` }),
  cursor: pagingQuery.cursor,
});

/** The id a cursor names (a 400 for anything this API did not issue). */
export function cursorId(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const [id] = decodeCursor(cursor, 1);
  const n = Number(id);
  if (Number.isSafeInteger(n) && n >= 1) return n;
  throw new AppError('INVALID_CURSOR', 'Invalid cursor', [{ path: 'query.cursor', message: 'is not a cursor this API issued' }]);
}
