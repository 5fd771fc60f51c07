import { z } from '@hono/zod-openapi';
import { SYNCED_ENTITIES } from '../../core/changes/port.ts';
import { DEVICE_ID, Instant, Integer, QueryInteger } from '../../core/schemas.ts';

const MAX_SEQ = Number.MAX_SAFE_INTEGER;
/** Changes in one `sync_data` message or one pull page. */
export const MAX_SYNC_PAGE = 500;
export const DEFAULT_SYNC_PAGE = 200;
/** A client message longer than this is refused (with an `error`), unread. */
export const MAX_CLIENT_MESSAGE_CHARS = 4096;

export const Seq = Integer(0, MAX_SEQ);

export const Change = z
  .object({
    seq: Integer(1, MAX_SEQ).openapi({ description: "Strictly increasing per user: the user's data version after the change" }),
    entity: z.enum(SYNCED_ENTITIES),
    entityId: z.string().max(200),
    op: z.enum(['CREATE', 'UPDATE', 'DELETE']),
    version: Integer(1, MAX_SEQ).openapi({ description: "The entity's version after the change" }),
    data: z.record(z.string().max(100), z.unknown()).nullable().openapi({ description: 'The entity after the change; null for a delete' }),
    deviceId: z.string().max(64).nullable().openapi({ description: 'The X-Device-Id of the request that made it' }),
    at: Instant,
  })
  .openapi('SyncChange');

export const SyncTicket = z
  .object({
    ticket: z.string().max(128).openapi({ description: 'Single use, for GET /api/sync/ws?ticket=…' }),
    expiresAt: Instant,
  })
  .openapi('SyncTicket');

export const SyncPage = z
  .object({
    changes: z.array(Change).max(MAX_SYNC_PAGE),
    nextSeq: Seq.openapi({ description: 'Ask with since=nextSeq for what follows' }),
    hasMore: z.boolean(),
    resync: z.literal(true).optional().openapi({
      description:
        'Present when the change log no longer holds what follows `since` (older changes are deleted after RETENTION_CHANGE_LOG_DAYS): reload the whole state through the REST lists, then continue with since=nextSeq',
    }),
  })
  .openapi('SyncPage');

export const PullQuery = z.object({
  since: QueryInteger(0, MAX_SEQ).default(0).openapi({ description: 'The last seq the device holds (0: everything)' }),
  limit: QueryInteger(1, MAX_SYNC_PAGE).default(DEFAULT_SYNC_PAGE),
});

export const SocketQuery = z.object({
  // Optional and loosely bounded: a missing or malformed ticket is a 401 like an unknown one, not a 400.
  ticket: z.string().max(1024).optional().openapi({ description: 'From POST /api/sync/ticket' }),
  deviceId: z.string().regex(DEVICE_ID).max(64).openapi({ description: "This device's X-Device-Id: its own changes are not echoed to it" }),
  since: QueryInteger(0, MAX_SEQ).optional().openapi({ description: 'The last seq the device holds: everything after it comes first, as sync_data' }),
});

const entityEventTypes = SYNCED_ENTITIES.flatMap((e) => [`${e}_created`, `${e}_updated`, `${e}_deleted`] as const);
export type EntityEventType = (typeof entityEventTypes)[number];

export const eventTypeOf = (entity: string, op: 'CREATE' | 'UPDATE' | 'DELETE') =>
  `${entity}_${{ CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted' }[op]}` as EntityEventType;

export const SYNC_ERROR_CODES = ['INVALID_MESSAGE', 'MESSAGE_TOO_LARGE', 'TOO_MANY_DEVICES', 'INTERNAL'] as const;

/** Every message the server sends on the socket: one discriminated union on `type`. */
export const ServerMessage = z
  .discriminatedUnion('type', [
    z.object({ type: z.enum(entityEventTypes), change: Change }).openapi('SyncEntityEvent'),
    z
      .object({ type: z.literal('notification'), notification: z.record(z.string().max(100), z.unknown()) })
      .openapi('SyncNotificationEvent'),
    z
      .object({ type: z.literal('receipt_processed'), receipt: z.record(z.string().max(100), z.unknown()).openapi({ description: 'The receipt as GET /api/receipts/{id} shows it' }) })
      .openapi('SyncReceiptProcessedEvent'),
    z.object({ type: z.literal('sync_data'), ...SyncPage.shape }).openapi('SyncDataEvent'),
    z.object({ type: z.literal('error'), code: z.enum(SYNC_ERROR_CODES), message: z.string().max(500) }).openapi('SyncErrorEvent'),
    z.object({ type: z.literal('pong') }).openapi('SyncPongEvent'),
  ])
  .openapi('SyncServerMessage');
export type ServerMessage = z.infer<typeof ServerMessage>;

/** Every message a client may send on the socket. */
export const ClientMessage = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('sync_request'), since: Seq }).openapi('SyncRequestMessage'),
    z.object({ type: z.literal('ping') }).openapi('SyncPingMessage'),
  ])
  .openapi('SyncClientMessage');
export type ClientMessage = z.infer<typeof ClientMessage>;

/**
 * The socket's protocol, for the OpenAPI document: the 101 answer names the two message
 * unions with it. No such object is ever sent; each frame is one message of either union.
 */
export const SyncProtocol = z
  .object({ server: ServerMessage, client: ClientMessage })
  .openapi('SyncProtocol', { description: 'Not a message: names the frames of the socket, server to client (`server`) and client to server (`client`), each one JSON text frame' });

/** Operations in one delta (they land in one batch). */
export const MAX_DELTA_OPERATIONS = 100;

const OpId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/)
  .openapi({ description: "The client's id for this operation, unique per device: a repeated id is applied once and answered as before", example: 'op-2f9c' });
const EntityId = z.string().min(1).max(64).openapi({ description: "The entity's id (`_id`)" });
const BaseVersion = Integer(1, MAX_SEQ).openapi({ description: 'The entity version this edit was based on (the last the device saw)' });

// Bounds only: the expenses plugin checks each value as its own routes do (a 400 naming the
// operation and field), so the rules live in one place.
const expenseFields = {
  description: z.string().max(500),
  amount: z.number().min(-1e12).max(1e12),
  currency: z.string().max(8).openapi({ description: 'ISO 4217 code' }),
  category: z.string().max(40),
  type: z.enum(['expense', 'income']),
  date: z.string().max(40).openapi({ description: 'YYYY-MM-DD or an ISO 8601 date-time' }),
  notes: z.string().max(2000).nullable(),
  tags: z.array(z.string().max(40)).max(20),
  merchant: z.string().max(200).nullable(),
  paymentMethod: z.string().max(20).nullable(),
};
const ExpenseCreate = z
  .strictObject({ ...z.object(expenseFields).partial().shape, description: expenseFields.description, amount: expenseFields.amount, category: expenseFields.category })
  .openapi('SyncExpenseCreate', { description: 'As POST /api/expenses takes it' });
const ExpensePatch = z.strictObject(expenseFields).partial().openapi('SyncExpensePatch', { description: 'Only the fields this device changed, as PUT /api/expenses/{id} takes them' });

export const DeltaOperation = z
  .discriminatedUnion('op', [
    z.object({ opId: OpId, op: z.literal('create'), entity: z.literal('expense'), data: ExpenseCreate }).openapi('SyncCreateOperation'),
    z.object({ opId: OpId, op: z.literal('update'), entity: z.literal('expense'), id: EntityId, version: BaseVersion, data: ExpensePatch }).openapi('SyncUpdateOperation'),
    z.object({ opId: OpId, op: z.literal('delete'), entity: z.literal('expense'), id: EntityId, version: BaseVersion }).openapi('SyncDeleteOperation'),
  ])
  .openapi('SyncDeltaOperation');
export type DeltaOperation = z.infer<typeof DeltaOperation>;

export const DeltaBody = z
  .object({ operations: z.array(DeltaOperation).min(1).max(MAX_DELTA_OPERATIONS) })
  .openapi('SyncDeltaRequest');

export const DELTA_STATUSES = ['applied', 'merged', 'deleted', 'discarded'] as const;
export type DeltaStatus = (typeof DELTA_STATUSES)[number];

export const DeltaConflict = z
  .object({
    rule: z.enum(['field-last-writer-wins', 'delete-wins']),
    baseVersion: Integer(1, MAX_SEQ).openapi({ description: 'The version the operation was based on' }),
    serverVersion: Integer(1, MAX_SEQ).nullable().openapi({ description: 'The version the server held when the operation arrived; null when the entity was gone' }),
    fields: z
      .array(z.string().max(40))
      .max(20)
      .openapi({
        description:
          'merged: the fields changed on the server since baseVersion that this operation set again (its values won). deleted: the fields changed since baseVersion, gone with the entity. Every field the operation set when baseVersion is older than the change log.',
      }),
  })
  .openapi('SyncDeltaConflict');
export type DeltaConflict = z.infer<typeof DeltaConflict>;

export const DeltaResult = z
  .object({
    opId: OpId,
    op: z.enum(['create', 'update', 'delete']),
    entity: z.enum(SYNCED_ENTITIES),
    id: EntityId,
    status: z.enum(DELTA_STATUSES).openapi({
      description:
        'applied: written as sent. merged: an update based on a stale version, its fields written over the current state. deleted: a delete based on a stale version, applied anyway. discarded: the entity was already gone; nothing written.',
    }),
    conflict: DeltaConflict.nullable(),
    current: z
      .object({ version: Integer(1, MAX_SEQ), data: z.record(z.string().max(100), z.unknown()) })
      .nullable()
      .openapi({ description: "The server's state after the operation; null when the entity is gone" }),
    seq: Integer(1, MAX_SEQ).nullable().openapi({ description: 'The change this operation logged (it is in pull and sync_data too); null when it wrote nothing' }),
  })
  .openapi('SyncDeltaResult');
export type DeltaResult = z.infer<typeof DeltaResult>;

export const DeltaResponse = z
  .object({ results: z.array(DeltaResult).max(MAX_DELTA_OPERATIONS).openapi({ description: 'One per operation, in the order sent' }) })
  .openapi('SyncDeltaResponse');
