/**
 * Email delivery on the edge host: the Worker's own scheduled() on the delivery cron hands the
 * outbox to the Postmark stand-in of the global setup through the real `postmark` client
 * (fetch in workerd), records Postmark's MessageID, and two overlapping ticks send once.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { inject } from 'vitest';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { createRemoteDatabase } from '../../core/db/remote.ts';
import worker, { type Env } from '../../hosts/worker.ts';
import { emailOutbox } from '../../plugins/notifications/tables.ts';
import { apiClient } from '../support/api-client.ts';
import { WORKERD_POSTMARK_TOKEN } from './postmark-token.ts';

const api = apiClient({ request: (path, init) => exports.default.fetch(new Request(`http://example.com${path}`, init)) });
const { db } = createRemoteDatabase((env as unknown as Env).DATABASE_URL);
const CRON = '* * * * *';

async function tick() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: CRON }), env as unknown as Env, ctx);
  await waitOnExecutionContext(ctx);
}

/** How many messages Postmark (the stand-in) took for an outbox id, asked the way the app asks. */
async function timesSent(outboxId: string) {
  const res = await fetch(`${inject('postmarkUrl')}/messages/outbound?count=100&offset=0&metadata_outbox_id=${outboxId}`, {
    headers: { 'X-Postmark-Server-Token': WORKERD_POSTMARK_TOKEN, accept: 'application/json' },
  });
  return ((await res.json()) as { TotalCount: number }).TotalCount;
}

describe('email delivery on workerd', () => {
  it('sends each queued email once from scheduled(), even when two ticks overlap, and /health shows the run', async () => {
    const user = await api.register(`mail-${crypto.randomUUID()}@example.com`, 'Mia');
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    const now = new Date().toISOString();
    await db.batch([
      db.insert(emailOutbox).values({ id: ids[0]!, userId: user.id, notificationId: 'n1', type: 'budget_alert', subject: 'Budget alert: <Food>', body: 'You used 85% & more.', createdAt: now }),
      db.insert(emailOutbox).values({ id: ids[1]!, userId: user.id, notificationId: 'n2', type: 'goal_achieved', subject: 'Goal achieved: Bike', body: 'Congratulations!', createdAt: now }),
    ]);

    await Promise.all([tick(), tick()]);

    // Other files of this project tick the same cron against the same database: one of theirs
    // may have claimed these rows and still be sending them when ours return.
    for (const id of ids) {
      await vi.waitFor(
        async () => {
          const [row] = await db.select().from(emailOutbox).where(eq(emailOutbox.id, id));
          expect(row).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: expect.any(String) });
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(await timesSent(id)).toBe(1);
    }
    await tick();
    for (const id of ids) expect(await timesSent(id)).toBe(1);

    const health = await api.get('/health');
    expect(health.body.jobs).toContainEqual({
      name: 'notifications.email',
      cron: CRON,
      lastRun: expect.objectContaining({ trigger: 'cron', outcome: 'ok' }),
    });
  });
});
