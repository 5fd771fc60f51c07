import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEmbeddedConfig, openEmbeddedDatabase } from '../hosts/embedded.ts';

// What hosts/node.ts and hosts/deno.ts share: the database file and the development secret.
describe('embedded hosts', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'expenseflow-embedded-')), 'not-yet');

  it('keep a generated development secret in DATA_DIR, readable by the owner only', () => {
    const first = loadEmbeddedConfig({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    const again = loadEmbeddedConfig({ DATA_DIR: dataDir, NODE_ENV: 'development' });
    expect(again.JWT_SECRET).toBe(first.JWT_SECRET);
    expect(new TextEncoder().encode(first.JWT_SECRET).length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });

  it('create the database directory, set the durability PRAGMAs and migrate', async () => {
    const config = loadEmbeddedConfig({ DATA_DIR: dataDir, DATABASE_URL: `file:${join(dataDir, 'db', 'expenseflow.db')}` });
    const { client } = await openEmbeddedDatabase(config);
    try {
      const pragma = async (name: string) => Object.values((await client.execute(`PRAGMA ${name}`)).rows[0]!)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(2); // FULL
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await pragma('foreign_keys')).toBe(1);
      const tables = await client.execute("select name from sqlite_master where type = 'table' and name = 'user'");
      expect(tables.rows).toHaveLength(1);
    } finally {
      client.close();
    }
  });
});
