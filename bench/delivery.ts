/**
 * Email delivery (part of `npm run bench`; alone: `node bench/delivery.ts`): 10,000 messages
 * queued in the outbox of a fresh database file (100 users), then the delivery job run
 * (through the dispatcher, as its cron would) until the outbox is drained, against the
 * Postmark stand-in on loopback, through the real `postmark` client. Reports messages per
 * second handed to Postmark, and checks that every message was taken exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { createApp } from '../core/app.ts';
import { users } from '../core/auth/tables.ts';
import { loadConfig } from '../core/config.ts';
import { createDatabase } from '../core/db/client.ts';
import { migrateDatabase } from '../core/db/migrate.ts';
import { fetchHttpText } from '../core/http/fetch-text.ts';
import { createLogger } from '../core/logger.ts';
import { createPlatform } from '../core/platform.ts';
import { readDocsScript } from '../hosts/docs-script-file.ts';
import { plugins } from '../plugins/index.ts';
import { emailOutbox } from '../plugins/notifications/tables.ts';
import { startPostmarkServer } from '../tests/support/postmark-server.ts';

const MESSAGES = 10_000;
const USERS = 100;
const TOKEN = 'bench-postmark-token';

export interface DeliveryMeasurement {
  messages: number;
  seconds: number;
  perSecond: number;
  runs: number;
  batches: number;
  taken: number;
  twice: number;
  notSent: number;
}

export async function measureDelivery(log: (line: string) => void = console.log): Promise<DeliveryMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-bench-delivery-'));
  const postmark = await startPostmarkServer(TOKEN);
  const config = loadConfig({
    NODE_ENV: 'development',
    JWT_SECRET: 'bench-secret-that-is-at-least-32-bytes-long',
    LOG_LEVEL: 'warn',
    DATA_DIR: dir,
    DATABASE_URL: `file:${dir}/bench.db`,
    RATE_LIMITS: 'off',
    POSTMARK_SERVER_TOKEN: TOKEN,
    MAIL_FROM: 'ExpenseFlow <bench@expenseflow.test>',
    POSTMARK_API_URL: postmark.url,
    PUBLIC_URL: 'https://api.expenseflow.test',
  });
  const { db, client } = createDatabase(config.DATABASE_URL);
  try {
    // As the embedded host opens it (hosts/embedded.ts): WAL, every commit synced.
    for (const pragma of ['journal_mode = WAL', 'synchronous = FULL', 'busy_timeout = 5000', 'foreign_keys = ON']) await client.execute(`PRAGMA ${pragma}`);
    await migrateDatabase(db);
    const platform = createPlatform({ config, db, logger: createLogger(config.LOG_LEVEL), fetchText: fetchHttpText });
    createApp(platform, plugins, { docsScript: readDocsScript });

    log(`delivery: queueing ${MESSAGES.toLocaleString('en')} messages for ${USERS} users ...`);
    const at = new Date().toISOString();
    await db.insert(users).values(
      Array.from({ length: USERS }, (_, i) => ({ id: `bench-user-${i}`, name: `Bench <User> ${i}`, email: `user${i}@bench.test`, passwordHash: 'x', createdAt: at, updatedAt: at })),
    );
    for (let start = 0; start < MESSAGES; start += 1000) {
      const rows = Array.from({ length: Math.min(1000, MESSAGES - start) }, (_, j) => {
        const i = start + j;
        return {
          id: platform.ids.next(),
          userId: `bench-user-${i % USERS}`,
          notificationId: `n${i}`,
          type: 'budget_alert' as const,
          subject: `Budget alert: Food & "Drinks" ${i}`,
          body: `You have used 85% of your budget “Food & Drinks”: $425.00 of $500.00. (${i})`,
          createdAt: at,
        };
      });
      await db.insert(emailOutbox).values(rows);
    }

    log('delivery: running the job until the outbox is drained ...');
    const started = performance.now();
    let runs = 0;
    for (;;) {
      runs++;
      const result = await platform.jobs.run('notifications.email', 'manual');
      if (result.outcome !== 'ok') throw new Error(`delivery run ${runs} was ${result.outcome}`);
      const [left] = await db.select({ n: sql<number>`count(*)` }).from(emailOutbox).where(eq(emailOutbox.status, 'pending'));
      if (left!.n === 0 || result.items === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;

    const times = new Map<string, number>();
    for (const a of postmark.accepted) times.set(a.message.Metadata.outbox_id!, (times.get(a.message.Metadata.outbox_id!) ?? 0) + 1);
    const [notSent] = await db.select({ n: sql<number>`count(*)` }).from(emailOutbox).where(sql`${emailOutbox.status} <> 'sent'`);
    return {
      messages: MESSAGES,
      seconds,
      perSecond: MESSAGES / seconds,
      runs,
      batches: postmark.calls.filter((c) => c.path === '/email/batch').length,
      taken: times.size,
      twice: [...times.values()].filter((n) => n > 1).length,
      notSent: notSent!.n,
    };
  } finally {
    client.close();
    await postmark.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function reportDelivery(m: DeliveryMeasurement): boolean {
  const ok = m.taken === m.messages && m.twice === 0 && m.notSent === 0;
  console.log('\nemail delivery (the notifications.email job → Postmark stand-in on loopback, real postmark client):');
  console.log(`  ${m.messages.toLocaleString('en')} queued messages delivered in ${m.seconds.toFixed(2)} s over ${m.runs} job runs, ${m.batches} batch calls`);
  console.log(`  throughput                          ${m.perSecond.toFixed(0)} messages/s`);
  console.log(`  taken by Postmark                   ${m.taken.toLocaleString('en')} distinct, ${m.twice} more than once, ${m.notSent} rows not 'sent'  ${ok ? 'PASS' : 'FAIL'}`);
  return ok;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let code = 1;
  try {
    code = reportDelivery(await measureDelivery()) ? 0 : 1;
  } catch (err) {
    console.error('delivery bench failed:', err instanceof Error ? err.message : err);
  }
  process.exit(code);
}
