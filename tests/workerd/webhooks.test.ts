/**
 * Webhook delivery on the edge host: the Worker's own scheduled() on the every-minute cron
 * reads the feed, signs and POSTs to the receiver of the global setup (fetch in workerd), and
 * retries a receiver that failed until it takes a try. The webhook row is written here with a
 * secret sealed as the app seals it: the Worker runs with NODE_ENV=production (wrangler.toml),
 * where the API takes only https URLs, and the receiver is plain http on loopback.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../core/config.ts';
import { createRemoteDatabase } from '../../core/db/remote.ts';
import worker, { type Env } from '../../hosts/worker.ts';
import { newSecret, sealSecret } from '../../plugins/webhooks/secrets.ts';
import { webhookDeliveries, webhooks } from '../../plugins/webhooks/tables.ts';
import { verifyWebhookSignature } from '../../sdk/index.ts';
import { apiClient } from '../support/api-client.ts';

const api = apiClient({ request: (path, init) => exports.default.fetch(new Request(`http://example.com${path}`, init)) });
const bindings = env as unknown as Env;
const { db } = createRemoteDatabase(bindings.DATABASE_URL);

async function tick() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: '* * * * *' }), bindings, ctx);
  await waitOnExecutionContext(ctx);
}

describe('webhook delivery on workerd', () => {
  it('delivers a new expense from scheduled(), signed; a receiver that fails twice gets the third try', async () => {
    const user = await api.register(`hooks-${crypto.randomUUID()}@example.com`, 'Hana');
    const name = crypto.randomUUID();
    const secret = newSecret();
    const now = new Date().toISOString();
    const id = crypto.randomUUID();
    await db.insert(webhooks).values({
      id,
      userId: user.id,
      url: `${inject('webhookReceiverUrl')}/hook/${name}?fail=2`,
      secret: await sealSecret(loadConfig(env as unknown as Record<string, unknown>), secret),
      cursor: 0,
      createdAt: now,
      updatedAt: now,
    });
    const expense = await api.post('/api/expenses', { description: 'Tea', amount: 4, category: 'food' }, user.token);
    expect(expense.status).toBe(201);

    const due = () => db.update(webhookDeliveries).set({ nextAttemptAt: 0 }).where(eq(webhookDeliveries.webhookId, id));
    const current = async () => (await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id)))[0];
    // Three tries take three ticks. The other files of this project tick the same cron on the
    // same database, and a tick that finds the job leased by theirs skips it, as designed: so
    // up to ten ticks, each after the backoff's minute has been made to pass.
    for (let i = 0; i < 10 && (await current())?.status !== 'succeeded'; i++) {
      await tick();
      await due();
    }

    const delivery = await current();
    expect(delivery).toMatchObject({ eventType: 'expense.created', eventSeq: 1, status: 'succeeded', attempts: 3, responseStatus: 204 });
    const received = (await (await fetch(`${inject('webhookReceiverUrl')}/received/${name}`)).json()) as { headers: Record<string, string>; body: string; status: number }[];
    expect(received.map((r) => r.status)).toEqual([500, 500, 204]);
    for (const r of received) {
      expect(JSON.parse(r.body)).toMatchObject({ type: 'expense.created', seq: 1, data: { _id: expense.body._id, description: 'Tea' } });
      expect(await verifyWebhookSignature({ payload: r.body, header: r.headers['expenseflow-signature'], secret })).toBe(true);
      expect(r.headers['expenseflow-delivery']).toBe(delivery!.id);
    }
    // The cursor moved past the event: another tick sends nothing more.
    await tick();
    expect(((await (await fetch(`${inject('webhookReceiverUrl')}/received/${name}`)).json()) as unknown[]).length).toBe(3);
    expect((await db.all<{ n: number }>(sql`select cursor as n from webhook where id = ${id}`))[0]!.n).toBe(1);
  });
});
