import { spawn } from 'node:child_process';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startPostmarkServer } from '../../tests/support/postmark-server.ts';
import { createTestApp } from '../../tests/support/app.ts';
import { budgetExceeded } from '../../tests/support/domain-events.ts';
import { RECONCILE_AFTER_MS } from './email-delivery.ts';
import { emailOutbox } from './tables.ts';

const TOKEN = 'postmark-test-server-token';
const postmark = await startPostmarkServer(TOKEN);
afterAll(() => postmark.close());

let now = Date.parse('2026-03-02T09:00:00Z');
const clock = { now: () => new Date(now) };
const PUBLIC_URL = 'https://api.expenseflow.test';
const { app, api, platform, databaseFile } = await createTestApp({
  clock,
  env: { POSTMARK_SERVER_TOKEN: TOKEN, MAIL_FROM: 'ExpenseFlow <alerts@expenseflow.test>', POSTMARK_API_URL: postmark.url, PUBLIC_URL },
});
const deliver = () => platform.jobs.run('notifications.email', 'manual');
/** A new account without its welcome email (messages.test.ts has that one): these tests are about the others. */
async function register(email?: string, name?: string) {
  const user = await api.register(email, name);
  await platform.db.delete(emailOutbox).where(and(eq(emailOutbox.userId, user.id), eq(emailOutbox.type, 'welcome')));
  return user;
}

const alert = (userId: string, name: string) => budgetExceeded(userId, { name });

/** A user with one budget alert queued for email (budget_alert is among the default email types). */
async function queued(email?: string, budgetName = 'Food') {
  const user = await register(email, 'Ann');
  await platform.events.emit('budget.threshold_crossed', alert(user.id, budgetName));
  const [row] = await platform.db.select().from(emailOutbox).where(eq(emailOutbox.userId, user.id));
  return { user, row: row! };
}
const rowOf = async (id: string) => (await platform.db.select().from(emailOutbox).where(eq(emailOutbox.id, id)))[0]!;

beforeEach(async () => {
  // Each test starts from an empty outbox (a failed message of an earlier test stays out of the way).
  await platform.db.delete(emailOutbox);
});

describe('email delivery through Postmark', () => {
  it('sends a queued email once through the batch endpoint, with escaped HTML and text parts and the unsubscribe headers', async () => {
    const { user, row } = await queued(undefined, '<script>alert(1)</script> & "Food"');
    expect(await deliver()).toMatchObject({ outcome: 'ok', items: 1 });
    expect(postmark.timesSent(row.id)).toBe(1);
    const sent = postmark.accepted.find((a) => a.message.Metadata.outbox_id === row.id)!;
    expect(sent.message).toMatchObject({ From: 'ExpenseFlow <alerts@expenseflow.test>', To: user.email, Tag: 'budget_alert', MessageStream: 'outbound' });
    expect(sent.message.Subject).toBe('Budget exceeded: <script>alert(1)</script> & "Food"'); // a subject is text, not markup
    expect(sent.message.HtmlBody).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Food&quot;');
    expect(sent.message.HtmlBody).not.toContain('<script>');
    expect(sent.message.TextBody).toContain('<script>alert(1)</script> & "Food"');
    const header = (name: string) => sent.message.Headers.find((h) => h.Name === name)?.Value;
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const link = /^<(.+)>$/.exec(header('List-Unsubscribe')!)![1]!;
    expect(link.startsWith(`${PUBLIC_URL}/api/notifications/unsubscribe?code=`)).toBe(true);
    expect(sent.message.TextBody).toContain(link);
    expect(sent.message.HtmlBody).toContain(`href="${link}"`);

    expect(await rowOf(row.id)).toMatchObject({ status: 'sent', providerMessageId: sent.MessageID, attempts: 1, sentAt: clock.now().toISOString() });
    // Nothing is sent again on the next tick.
    expect(await deliver()).toMatchObject({ outcome: 'ok', items: 0 });
    expect(postmark.timesSent(row.id)).toBe(1);
  });

  it('marks an inactive recipient and an invalid address as failed, for good', async () => {
    const inactive = await queued(`gone-${Math.random()}@inactive.test`);
    const invalid = await queued(`bad-${Math.random()}@invalid.test`);
    const fine = await queued();
    expect(await deliver()).toMatchObject({ items: 1 });
    expect(await rowOf(inactive.row.id)).toMatchObject({ status: 'failed', failure: 'inactive_recipient', lastError: expect.stringContaining('406') });
    expect(await rowOf(invalid.row.id)).toMatchObject({ status: 'failed', failure: 'invalid_address', lastError: expect.stringContaining('300') });
    expect(await rowOf(fine.row.id)).toMatchObject({ status: 'sent' });
    now += 24 * 3600_000;
    const before = postmark.calls.length;
    await deliver();
    expect(postmark.calls.length).toBe(before); // nothing left to try
  });

  it('retries a batch Postmark refused (500, then 429) with growing backoff', async () => {
    const { row } = await queued();
    postmark.next(
      { status: 500, body: { ErrorCode: 0, Message: 'Internal server error' } },
      { status: 429, body: { ErrorCode: 0, Message: 'Rate limit exceeded' } },
    );
    expect(await deliver()).toMatchObject({ outcome: 'ok', items: 0 });
    expect(await rowOf(row.id)).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: now + 60_000, lastError: expect.stringContaining('500') });
    now += 30_000;
    await deliver(); // not due yet
    expect(await rowOf(row.id)).toMatchObject({ attempts: 1 });
    now += 30_000;
    await deliver();
    expect(await rowOf(row.id)).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: now + 120_000, lastError: expect.stringContaining('429') });
    now += 120_000;
    await deliver();
    expect(await rowOf(row.id)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(postmark.timesSent(row.id)).toBe(1);
  });

  it('never sends twice when the answer is lost after Postmark took the batch: it asks Postmark by the outbox id', async () => {
    const { row } = await queued();
    postmark.next('cut-after');
    await expect(deliver()).rejects.toThrow(/no answer from Postmark/);
    expect(await rowOf(row.id)).toMatchObject({ status: 'sending', providerMessageId: null });
    expect(postmark.timesSent(row.id)).toBe(1);
    // Until the claim is old enough to be asked after, it is left alone; then Postmark's id is recorded.
    await deliver();
    expect(await rowOf(row.id)).toMatchObject({ status: 'sending' });
    now += RECONCILE_AFTER_MS + 1;
    expect(await deliver()).toMatchObject({ items: 1 });
    const taken = postmark.accepted.find((a) => a.message.Metadata.outbox_id === row.id)!;
    expect(await rowOf(row.id)).toMatchObject({ status: 'sent', providerMessageId: taken.MessageID });
    expect(postmark.timesSent(row.id)).toBe(1);
  });

  it('never sends twice when the sending process dies between the send and the write that records it', async () => {
    const { row } = await queued();
    postmark.next('hold');
    const root = new URL('../..', import.meta.url).pathname;
    const held = postmark.held();
    const child = spawn(`${root}node_modules/.bin/node`, [`${root}tests/support/mail-sender.ts`, databaseFile, postmark.url, TOKEN], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await Promise.race([held, exited.then(() => Promise.reject(new Error('the sender exited before sending')))]);
    child.kill('SIGKILL');
    await exited;
    expect(await rowOf(row.id)).toMatchObject({ status: 'sending', providerMessageId: null });
    expect(postmark.timesSent(row.id)).toBe(1);

    // The dead process's lease and claim run out; then this process asks Postmark and records its id.
    now = Math.max(now, Date.now()) + RECONCILE_AFTER_MS + 1;
    expect(await deliver()).toMatchObject({ outcome: 'ok', items: 1 });
    const taken = postmark.accepted.find((a) => a.message.Metadata.outbox_id === row.id)!;
    expect(await rowOf(row.id)).toMatchObject({ status: 'sent', providerMessageId: taken.MessageID });
    expect(postmark.timesSent(row.id)).toBe(1);
  });

  it('sends once more what Postmark never took when the connection broke before it', async () => {
    const { row } = await queued();
    postmark.next('cut-before');
    await expect(deliver()).rejects.toThrow();
    now += RECONCILE_AFTER_MS + 1;
    await deliver(); // Postmark has no such message: due again, and sent
    expect(await rowOf(row.id)).toMatchObject({ status: 'sent' });
    expect(postmark.timesSent(row.id)).toBe(1);
  });

  it('drains a backlog in batches of 100', async () => {
    const user = await register();
    for (let i = 0; i < 250; i++) await platform.events.emit('budget.threshold_crossed', alert(user.id, `Budget ${i}`));
    const before = postmark.calls.length;
    expect(await deliver()).toMatchObject({ items: 250 });
    expect(postmark.calls.slice(before).map((c) => c.count)).toEqual([100, 100, 50]);
    const rows = await platform.db.select().from(emailOutbox).where(eq(emailOutbox.userId, user.id)).orderBy(asc(emailOutbox.id));
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['sent']));
    expect(rows.every((r) => postmark.timesSent(r.id) === 1)).toBe(true);
  });
});

describe('the unsubscribe link', () => {
  const linkOf = (outboxId: string) => {
    const sent = postmark.accepted.find((a) => a.message.Metadata.outbox_id === outboxId)!;
    return /^<(.+)>$/.exec(sent.message.Headers.find((h) => h.Name === 'List-Unsubscribe')!.Value)![1]!.slice(PUBLIC_URL.length);
  };

  it('opens a page that changes nothing; its POST turns that type off without a login; queued ones are not sent', async () => {
    const { user, row } = await queued();
    await deliver();
    const path = linkOf(row.id);
    const page = await app.request(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toMatch(/<form method="post" action="\?code=[^"]+">/);
    expect((await api.get('/api/notifications/preferences', user.token)).body.channels.email.types).toContain('budget_alert');

    // A mail client's RFC 8058 one-click POST: form-encoded, no token in a header.
    const res = await api.call('POST', path, { body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res).toMatchObject({ status: 200, body: { success: true, type: 'budget_alert' } });
    expect((await api.get('/api/notifications/preferences', user.token)).body.channels.email.types).not.toContain('budget_alert');
    expect((await api.call('POST', path)).status).toBe(200); // twice is once

    // Queued before the unsubscribe, sent after it: cancelled, not sent.
    await platform.db.update(emailOutbox).set({ status: 'pending' }).where(eq(emailOutbox.id, row.id));
    await deliver();
    expect(await rowOf(row.id)).toMatchObject({ status: 'cancelled' });
    expect(postmark.timesSent(row.id)).toBe(1);
  });

  it('refuses a token that is malformed, altered or made for another type', async () => {
    const { row } = await queued();
    await deliver();
    const path = linkOf(row.id);
    const token = decodeURIComponent(path.split('code=')[1]!);
    const [userId, , signature] = token.split('.');
    for (const bad of ['nope', `${userId}.goal_achieved.${signature}`, `${token.slice(0, -2)}AA`]) {
      const res = await api.call('POST', `/api/notifications/unsubscribe?code=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.code).toMatch(/^(VALIDATION_FAILED|INVALID_UNSUBSCRIBE_TOKEN)$/);
    }
    expect((await api.call('POST', '/api/notifications/unsubscribe')).status).toBe(400);
  });
});
