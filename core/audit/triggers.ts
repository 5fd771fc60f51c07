import type { Client } from '@libsql/client';
import { IGNORED, NOT_AUDITED, ownerColumn, REDACTED } from './coverage.ts';

/** A table as the database describes it. */
export interface TableShape {
  name: string;
  columns: string[];
  /** Primary key columns in key order. */
  primaryKey: string[];
}

/** Every table of the database (drizzle's and SQLite's own left out), from the schema itself. */
export async function readTables(client: Pick<Client, 'execute'>): Promise<TableShape[]> {
  const names = await client.execute(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '\\_\\_drizzle%' escape '\\' order by name",
  );
  const tables: TableShape[] = [];
  for (const row of names.rows) {
    const name = String(row.name);
    const info = await client.execute({ sql: 'select name, pk from pragma_table_info(?) order by cid', args: [name] });
    const columns = info.rows.map((r) => String(r.name));
    const primaryKey = info.rows
      .filter((r) => Number(r.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map((r) => String(r.name));
    tables.push({ name, columns, primaryKey: primaryKey.length ? primaryKey : ['rowid'] });
  }
  return tables;
}

export const isAudited = (table: string) => !(table in NOT_AUDITED);

// Names come from our own schema (snake_case), quoted anyway; never user input.
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
const lit = (text: string) => `'${text.replace(/'/g, "''")}'`;

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
// The writer (core/audit/context.ts), read once per audited row: a left join, so a write with no
// writer set still logs, with nulls. A subquery per column cost 5 µs more per expense create
// (the create batch's SQL alone, groups of 30: 100.8 against 95.9 µs a write).
const FROM_CONTEXT = 'from (select 1) left join audit_context ctx on ctx.id = 1';

function value(table: string, row: 'NEW' | 'OLD', column: string): string {
  const ref = `${row}.${q(column)}`;
  return REDACTED[table]?.includes(column) ? `case when ${ref} is null then null else '[redacted]' end` : ref;
}

function entityId(t: TableShape, row: 'NEW' | 'OLD'): string {
  return t.primaryKey.map((c) => `coalesce(cast(${row}.${q(c)} as text), '')`).join(" || ':' || ");
}

/** The whole row as a JSON object. */
function wholeRow(t: TableShape, fields: string[], row: 'NEW' | 'OLD'): string {
  return `json_object(${fields.map((c) => `${lit(c)}, ${value(t.name, row, c)}`).join(', ')})`;
}

/** Only the fields that changed, as they were (`OLD`) or became (`NEW`). */
function changedFields(t: TableShape, fields: string[], row: 'NEW' | 'OLD'): string {
  // Each unchanged field is written to one scratch key, removed at the end: json_set cannot skip a pair.
  const pairs = fields.map((c) => `case when OLD.${q(c)} is not NEW.${q(c)} then ${lit(`$.${c}`)} else '$._' end, ${value(t.name, row, c)}`);
  return `json_remove(json_set('{}', ${pairs.join(', ')}), '$._')`;
}

function insertLog(t: TableShape, op: string, row: 'NEW' | 'OLD', before: string, after: string): string {
  const owner = ownerColumn(t.name, t.columns);
  const ownerRef = owner ? `${row}.${q(owner)}` : 'null';
  return `insert into audit_log (at, user_id, actor_id, entity, entity_id, op, before, after, request_id, ip) select ${NOW}, coalesce(${ownerRef}, ctx.user_id), ctx.user_id, ${lit(t.name)}, ${entityId(t, row)}, ${lit(op)}, ${before}, ${after}, ctx.request_id, ctx.ip ${FROM_CONTEXT};`;
}

/** The three triggers of one audited table, each statement dropped first (regeneration replaces them). */
export function tableTriggers(t: TableShape): string[] {
  const ignored = IGNORED[t.name] ?? [];
  const fields = t.columns.filter((c) => !ignored.includes(c));
  const changed = fields.map((c) => `OLD.${q(c)} is not NEW.${q(c)}`).join(' or ');
  const name = (op: string) => q(`audit_${t.name}_${op}`);
  return [
    `DROP TRIGGER IF EXISTS ${name('insert')}`,
    `CREATE TRIGGER ${name('insert')} AFTER INSERT ON ${q(t.name)} BEGIN ${insertLog(t, 'CREATE', 'NEW', 'null', wholeRow(t, fields, 'NEW'))} END`,
    `DROP TRIGGER IF EXISTS ${name('update')}`,
    `CREATE TRIGGER ${name('update')} AFTER UPDATE ON ${q(t.name)} WHEN ${changed} BEGIN ${insertLog(t, 'UPDATE', 'NEW', changedFields(t, fields, 'OLD'), changedFields(t, fields, 'NEW'))} END`,
    `DROP TRIGGER IF EXISTS ${name('delete')}`,
    `CREATE TRIGGER ${name('delete')} AFTER DELETE ON ${q(t.name)} BEGIN ${insertLog(t, 'DELETE', 'OLD', wholeRow(t, fields, 'OLD'), 'null')} END`,
  ];
}

/**
 * The log refuses a delete, and any update but the sealer's (a null hash given its value): an
 * honest mistake fails loudly. Someone who drops these triggers is still caught by the chain.
 */
export const appendOnlyTriggers = [
  'DROP TRIGGER IF EXISTS "audit_log_no_delete"',
  "CREATE TRIGGER \"audit_log_no_delete\" BEFORE DELETE ON audit_log BEGIN SELECT raise(ABORT, 'audit_log is append-only'); END",
  'DROP TRIGGER IF EXISTS "audit_log_no_update"',
  `CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON audit_log WHEN OLD.hash is not null or ${['id', 'at', 'user_id', 'actor_id', 'entity', 'entity_id', 'op', 'before', 'after', 'request_id', 'ip'].map((c) => `NEW.${c} is not OLD.${c}`).join(' or ')} BEGIN SELECT raise(ABORT, 'audit_log is append-only'); END`,
];

/** Every trigger statement for these tables: the audited ones' and the log's own guards. */
export function auditTriggerStatements(tables: readonly TableShape[]): string[] {
  return [...tables.filter((t) => isAudited(t.name)).flatMap(tableTriggers), ...appendOnlyTriggers];
}

/** The names of the triggers an audited table must have. */
export const triggerNames = (table: string) => ['insert', 'update', 'delete'].map((op) => `audit_${table}_${op}`);
