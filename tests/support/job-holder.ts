/**
 * A second process for the dispatcher's tests (core/jobs.test.ts): opens the database file
 * given as argv[2], runs job `test.hold` with a short lease (argv[3] ms) and never finishes it,
 * renewing the lease until the test kills it with SIGKILL: a holder that died.
 */
import { loadConfig } from '../../core/config.ts';
import { createDatabase } from '../../core/db/client.ts';
import { fetchHttpText } from '../../core/http/fetch-text.ts';
import { createLogger } from '../../core/logger.ts';
import { createPlatform } from '../../core/platform.ts';

const [, , file, leaseMs] = process.argv;
const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent', DATABASE_URL: `file:${file}` });
const { db, client } = createDatabase(config.DATABASE_URL);
await client.execute('PRAGMA busy_timeout = 5000');
const platform = createPlatform({ config, db, logger: createLogger('silent'), fetchText: fetchHttpText });
platform.jobs.add({
  name: 'test.hold',
  cron: '* * * * *',
  leaseMs: Number(leaseMs),
  run: () => {
    process.stdout.write('running\n');
    return new Promise(() => {});
  },
});
await platform.jobs.run('test.hold', 'manual');
