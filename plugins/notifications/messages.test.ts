import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostmarkServer } from '../../tests/support/postmark-server.ts';
import { createTestApp } from '../../tests/support/app.ts';
import { emailOutbox } from './tables.ts';

// The messages the issue lists besides the alerts: the welcome, a new-device sign-in and the
// weekly summary, each as the user receives it (Postmark's stand-in shows the email as sent).
const TOKEN = 'postmark-messages-token';
const postmark = await startPostmarkServer(TOKEN);
afterAll(() => postmark.close());

// Monday 9 March 2026, 08:00 UTC: the weekly job's tick. Last week is 2–8 March.
let now = Date.parse('2026-03-09T08:00:00Z');
const clock = { now: () => new Date(now) };
const { api, platform } = await createTestApp({
  clock,
  env: { POSTMARK_SERVER_TOKEN: TOKEN, MAIL_FROM: 'ExpenseFlow <hello@expenseflow.test>', POSTMARK_API_URL: postmark.url, PUBLIC_URL: 'https://api.expenseflow.test' },
});
const deliverEmails = () => platform.jobs.run('notifications.email', 'manual');
const sentTo = (email: string) => postmark.accepted.filter((a) => a.message.To === email).map((a) => a.message);
const header = (m: { Headers: { Name: string; Value: string }[] }, name: string) => m.Headers.find((h) => h.Name === name)?.Value;

describe('the welcome email', () => {
  it('goes out once at register, HTML escaped, with the unsubscribe link and headers; no in-app notification', async () => {
    const user = await api.register(undefined, '<b>Ann</b> & "Co"');
    await deliverEmails();
    const [mail, ...more] = sentTo(user.email);
    expect(more).toEqual([]);
    expect(mail).toMatchObject({ Subject: 'Welcome to ExpenseFlow, <b>Ann</b> & "Co"', Tag: 'welcome' });
    expect(mail!.HtmlBody).toContain('&lt;b&gt;Ann&lt;/b&gt; &amp; &quot;Co&quot;');
    expect(mail!.HtmlBody).not.toContain('<b>Ann</b>');
    expect(mail!.TextBody).toContain('Your account is ready.');
    expect(header(mail!, 'List-Unsubscribe')).toMatch(/^<https:\/\/api\.expenseflow\.test\/api\/notifications\/unsubscribe\?code=.+\.welcome\..+>$/);
    expect(header(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect((await api.get('/api/notifications', user.token)).body).toEqual([]);
  });
});

describe('a sign-in from a new device', () => {
  it('becomes a security alert in the app and by email (on by default), every value escaped', async () => {
    const user = await api.register(undefined, 'Ben');
    await platform.db.delete(emailOutbox).where(and(eq(emailOutbox.userId, user.id), eq(emailOutbox.type, 'welcome')));
    await platform.events.emit('security.new_device', {
      userId: user.id,
      sessionId: 'session-1',
      deviceName: '<script>x</script> Phone',
      ip: '203.0.113.9',
      userAgent: `Mozilla/5.0 ${'x'.repeat(400)}`,
      at: '2026-03-09T07:58:12.000Z',
    });
    const [alert] = (await api.get('/api/notifications', user.token)).body;
    expect(alert).toMatchObject({
      type: 'security_alert',
      title: 'New sign-in to your account',
      message: 'Your account was signed in from <script>x</script> Phone (203.0.113.9) at 2026-03-09 07:58 UTC. If this was not you, sign that session out and change your password.',
      data: { sessionId: 'session-1', deviceName: '<script>x</script> Phone', ip: '203.0.113.9', at: '2026-03-09T07:58:12.000Z' },
    });
    expect(alert.data.userAgent).toHaveLength(200);
    await deliverEmails();
    const [mail] = sentTo(user.email);
    expect(mail).toMatchObject({ Subject: 'New sign-in to your account', Tag: 'security_alert' });
    expect(mail!.HtmlBody).toContain('&lt;script&gt;x&lt;/script&gt; Phone');
    expect(mail!.HtmlBody).not.toContain('<script>');
    expect(header(mail!, 'List-Unsubscribe')).toContain('.security_alert.');
  });

  it('says so when the device and address are unknown', async () => {
    const user = await api.register();
    await platform.events.emit('security.new_device', { userId: user.id, sessionId: 's', deviceName: null, ip: null, userAgent: null, at: '2026-03-09T07:00:00.000Z' });
    const [alert] = (await api.get('/api/notifications', user.token)).body;
    expect(alert.message).toMatch(/^Your account was signed in from an unknown device at 2026-03-09 07:00 UTC\./);
  });
});

describe('the weekly summary', () => {
  const expense = (token: string, amount: number, date: string, category = 'food', type = 'expense') =>
    api.post('/api/expenses', { description: `${category} ${date}`, amount, currency: 'USD', category, type, date }, token);

  it('sums up last week (Monday to Sunday) against the week before, once, and skips a quiet account', async () => {
    const busy = await api.register(undefined, 'Cleo');
    const quiet = await api.register(undefined, 'Dan');
    for (const [amount, date, category] of [
      [40, '2026-03-02', 'food'],
      [12.5, '2026-03-08', 'food'],
      [100, '2026-03-05', 'transport'],
      [7, '2026-03-09', 'food'], // this week: not in it
      [30, '2026-02-25', 'food'], // the week before
    ] as const) {
      expect((await expense(busy.token, amount, date, category)).status).toBe(201);
    }
    expect((await expense(busy.token, 2000, '2026-03-06', 'salary', 'income')).status).toBe(201);

    expect(await platform.jobs.run('notifications.weekly-summary', 'cron')).toMatchObject({ outcome: 'ok' });
    const summaries = (await api.get('/api/notifications', busy.token)).body.filter((n: { type: string }) => n.type === 'weekly_summary');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({
      title: 'Your week: $152.50 spent',
      data: { from: '2026-03-02', to: '2026-03-08', currency: 'USD', spent: 152.5, expenses: 3, received: 2000, previousSpent: 30 },
    });
    expect(summaries[0].message).toContain('From 2026-03-02 to 2026-03-08 you spent $152.50 in 3 expenses and received $2,000.00.');
    expect(summaries[0].message).toContain('Most of it went to transport ($100.00), food ($52.50).');
    expect(summaries[0].message).toContain('The week before you spent $30.00.');
    expect((await api.get('/api/notifications', quiet.token)).body).toEqual([]);

    // By email too (on by default), and never twice for one week.
    await deliverEmails();
    expect(sentTo(busy.email).filter((m) => m.Tag === 'weekly_summary')).toHaveLength(1);
    now += 3600_000;
    await platform.jobs.run('notifications.weekly-summary', 'manual');
    await deliverEmails();
    expect((await api.get('/api/notifications', busy.token)).body.filter((n: { type: string }) => n.type === 'weekly_summary')).toHaveLength(1);
    expect(sentTo(busy.email).filter((m) => m.Tag === 'weekly_summary')).toHaveLength(1);
  });
});
