import type { AuditRow } from '../../core/audit/tables.ts';
import { MAX_VALUE_LENGTH } from './schemas.ts';

type Value = string | number | null;

function fields(json: string | null): Record<string, Value> | null {
  if (json === null) return null;
  const parsed = JSON.parse(json) as Record<string, unknown>;
  const out: Record<string, Value> = {};
  for (const [key, value] of Object.entries(parsed)) {
    out[key] =
      typeof value === 'string' && value.length > MAX_VALUE_LENGTH
        ? `${value.slice(0, MAX_VALUE_LENGTH)}…`
        : typeof value === 'string' || typeof value === 'number' || value === null
          ? value
          : JSON.stringify(value);
  }
  return out;
}

/** A log row as GET /api/audit shows it to `viewer`: another member's address is theirs, not shown. */
export const toEntry = (r: AuditRow, viewer: string) => ({
  id: r.id,
  at: r.at,
  entity: r.entity,
  entityId: r.entityId,
  op: r.op,
  before: fields(r.before),
  after: fields(r.after),
  actorId: r.actorId,
  requestId: r.requestId,
  ip: r.actorId === null || r.actorId === viewer ? r.ip : null,
  sealed: r.hash !== null,
});
