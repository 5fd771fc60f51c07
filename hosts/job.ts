/**
 * `npm run job <name>`: runs one job now, through the same dispatcher as the schedule (so it
 * waits for no tick, and skips if another process holds the job's lease), against the
 * configured database (DATABASE_URL: the local file by default, or a Turso / sqld URL: the same
 * runs a Worker's database would see). Without a name, or with an unknown one, lists the jobs.
 */
import { plugins } from '../plugins/index.ts';
import { createApp } from '../core/app.ts';
import { ConfigError } from '../core/config.ts';
import { createLogger, errorFields } from '../core/logger.ts';
import { createPlatform } from '../core/platform.ts';
import { readDocsScript } from './docs-script-file.ts';
import { loadEmbeddedConfig, openEmbeddedDatabase, readText, resolveHost } from './embedded.ts';

async function main(name: string | undefined): Promise<number> {
  const config = loadEmbeddedConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);
  const { db, client } = await openEmbeddedDatabase(config);
  try {
    const platform = createPlatform({ config, db, logger, fetchText: readText, resolveHost });
    createApp(platform, plugins, { docsScript: readDocsScript });
    const jobs = platform.jobs.list();
    if (!name || !jobs.some((j) => j.name === name)) {
      console.error(`${name ? `no job named "${name}". ` : ''}usage: npm run job <name>, one of:\n${jobs.map((j) => `  ${j.name.padEnd(24)} ${j.cron}`).join('\n')}`);
      return 2;
    }
    const result = await platform.jobs.run(name, 'manual').catch(() => undefined); // logged by the dispatcher
    if (!result) return 1;
    if (result.outcome === 'skipped') console.error(`${name}: skipped, another run holds its lease${result.heldBy ? ` (${result.heldBy})` : ''}`);
    else console.error(`${name}: done${result.items === null ? '' : `, ${result.items} items`}`);
    return 0;
  } finally {
    client.close();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(JSON.stringify({ level: 'error', msg: 'job failed to start', ...errorFields(err) }));
    process.exit(1);
  },
);
