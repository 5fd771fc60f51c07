/**
 * A second process for the delivery test (plugins/notifications/email-delivery.test.ts): the
 * whole app over the database file argv[2], mailing through the Postmark stand-in at argv[3]
 * (token argv[4]); runs the delivery job once. The test kills it with SIGKILL while Postmark
 * holds its answer: a process that died between the send and the write that records it.
 */
import { createApp } from '../../core/app.ts';
import { loadConfig } from '../../core/config.ts';
import { createDatabase } from '../../core/db/client.ts';
import { fetchHttpText } from '../../core/http/fetch-text.ts';
import { createLogger } from '../../core/logger.ts';
import { createPlatform } from '../../core/platform.ts';
import { readDocsScript } from '../../hosts/docs-script-file.ts';
import { plugins } from '../../plugins/index.ts';

const [, , file, postmarkUrl, token] = process.argv;
const config = loadConfig({
  NODE_ENV: 'test',
  JWT_SECRET: 'mail-sender-secret-at-least-32-bytes',
  LOG_LEVEL: 'silent',
  DATABASE_URL: `file:${file}`,
  POSTMARK_SERVER_TOKEN: token,
  MAIL_FROM: 'alerts@expenseflow.test',
  POSTMARK_API_URL: postmarkUrl,
});
const { db, client } = createDatabase(config.DATABASE_URL);
await client.execute('PRAGMA busy_timeout = 5000');
const platform = createPlatform({ config, db, logger: createLogger('silent'), fetchText: fetchHttpText });
createApp(platform, plugins, { docsScript: readDocsScript });
process.stdout.write('sending\n');
await platform.jobs.run('notifications.email', 'manual');
