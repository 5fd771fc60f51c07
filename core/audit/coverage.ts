/**
 * Which tables the audit triggers cover, and how. Every table of the database is audited unless
 * it is listed here with its reason: a new plugin table is covered once the triggers are
 * regenerated (`npm run audit:triggers`), and core/audit/triggers.test.ts fails until they are.
 */
export const NOT_AUDITED: Record<string, string> = {
  audit_log: 'the log itself',
  audit_context: 'the writer of the current batch, written and cleared inside it',
  audit_head: "the sealer's pointer",
  security_event: 'a log of its own (failed sign-ins, refusals), append-only',
  change_log: 'derived: the sync log of writes audited in their own tables',
  sync_operation: 'derived: the outcome record of an offline delta, whose writes are audited',
  sync_ticket: 'a 60-second socket ticket, only its hash',
  expense_day: 'derived: daily totals kept in the batch of each expense write',
  expense_category_day: 'derived: daily totals by category, as above',
  budget_crossing: 'derived: which alert a budget period has had (the alerts job)',
  goal_milestone: "derived: which milestones a goal's contributions have reached",
  email_outbox: 'delivery state of notification emails (the notification itself is audited)',
  exchange_rate: 'reference data from the ECB, no user',
  job_lease: 'job scheduling',
  job_run: 'job scheduling',
  push_outbox: 'delivery state of push messages (the notification itself is audited)',
  weekly_summary: 'which week a summary email was queued for (derived, kept by retention)',
  event_feed: "derived: each user's events feed, written with the writes it tells of (audited in their own tables)",
  webhook_delivery: 'delivery state of webhook calls (the webhook itself is audited)',
  idempotency_key: "a kept answer for retries (24 h); the write it answered is audited in its own table",
};

/** Columns whose value is never copied into the log: a change shows as "[redacted]". */
export const REDACTED: Record<string, readonly string[]> = {
  user: ['password_hash'],
  two_factor: ['secret', 'pending_secret'],
  two_factor_backup_code: ['code_hash'],
  notification_preference: ['push_subscription'],
  api_key: ['hash'],
  push_subscription: ['p256dh', 'auth'],
  webhook: ['secret', 'previous_secret'],
};

/**
 * Bookkeeping columns: a write that changes only these is not logged, and they are left out of
 * the fields shown. `last_seen_at` moves once a minute per active session; `data_version`
 * with every synced write (whose own row is logged); a receipt's claim by the OCR worker.
 */
export const IGNORED: Record<string, readonly string[]> = {
  user: ['data_version', 'event_seq'],
  session: ['last_seen_at'],
  receipt: ['claimed_until', 'attempts'],
  api_key: ['last_used_at'],
};

/** The column that names a row's owner: whose trail its writes go to (a table without one: the writer's). */
export function ownerColumn(table: string, columns: readonly string[]): string | null {
  if (table === 'user') return 'id';
  return columns.includes('user_id') ? 'user_id' : null;
}
