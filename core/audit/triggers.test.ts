import { describe, expect, it } from 'vitest';
import { createDatabase } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { NOT_AUDITED } from './coverage.ts';
import { auditTriggerStatements, readTables } from './triggers.ts';

describe('audit triggers', async () => {
  const { db, client } = createDatabase(':memory:');
  await migrateDatabase(db);
  const tables = await readTables(client);
  const installed = new Map(
    (await client.execute("select name, sql from sqlite_master where type = 'trigger'")).rows.map((r) => [String(r.name), String(r.sql)]),
  );

  it('are current for every table the migrations build (else: npm run audit:triggers)', () => {
    const expected = auditTriggerStatements(tables).filter((s) => s.startsWith('CREATE TRIGGER'));
    for (const statement of expected) {
      const name = /^CREATE TRIGGER "([^"]+)"/.exec(statement)![1]!;
      expect(installed.get(name), `${name}: run npm run audit:triggers`).toBe(statement);
    }
    // 3 per audited table, and the log's two guards.
    expect(expected.length).toBe(3 * tables.filter((t) => !(t.name in NOT_AUDITED)).length + 2);
  });

  it('leave out only tables that exist, each for a stated reason', () => {
    const names = new Set(tables.map((t) => t.name));
    for (const table of Object.keys(NOT_AUDITED)) expect(names.has(table), table).toBe(true);
    expect(tables.filter((t) => !(t.name in NOT_AUDITED)).map((t) => t.name)).toEqual(
      expect.arrayContaining(['user', 'session', 'expense', 'expense_category', 'budget', 'goal', 'goal_contribution', 'expense_group', 'group_member', 'group_expense', 'split', 'split_payment', 'notification', 'notification_preference', 'receipt', 'recurring_expense', 'two_factor']),
    );
  });
});
