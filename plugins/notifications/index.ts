import { sql } from 'drizzle-orm';
import { definePlugin } from '../../core/plugin.ts';
import { listenersFor } from './deliver.ts';
import { deliverEmails } from './email-delivery.ts';
import { outboxService } from './outbox.ts';
import { deliverPush } from './push-delivery.ts';
import pushSubscribe from './routes/push-subscribe.ts';
import pushUnsubscribe from './routes/push-unsubscribe.ts';
import pushVapidKey from './routes/push-vapid-key.ts';
import remove from './routes/delete.ts';
import getPreferences from './routes/get-preferences.ts';
import list from './routes/list.ts';
import markAllRead from './routes/mark-all-read.ts';
import markRead from './routes/mark-read.ts';
import unreadCount from './routes/unread-count.ts';
import unsubscribe from './routes/unsubscribe.ts';
import unsubscribePage from './routes/unsubscribe-page.ts';
import updatePreferences from './routes/update-preferences.ts';
import { emailOutbox, notificationPreferences, notifications, pushOutbox, pushSubscriptions, weeklySummaries } from './tables.ts';
import { weeklySummary } from './weekly-summary.ts';
import { templates } from './templates.ts';

// It hears the events declared in core (core/events.ts); the weekly summary's numbers come
// from the expenses plugin's `spending` service.
export default definePlugin({
  name: 'notifications',
  description: 'In-app notifications about budgets, goals and security, with email and push preferences',
  dependencies: ['auth', 'expenses'],
  uses: ['spending'],
  tables: { notifications, notificationPreferences, emailOutbox, pushSubscriptions, pushOutbox, weeklySummaries },
  on: listenersFor(templates),
  jobs: [deliverEmails, deliverPush, weeklySummary],
  retention: [
    // What was sent (or failed for good) is history; what waits is never deleted.
    { name: 'notifications.email-outbox', table: emailOutbox, timeColumn: emailOutbox.createdAt, days: (c) => c.RETENTION_OUTBOX_DAYS, where: sql`${emailOutbox.status} in ('sent', 'logged', 'failed', 'cancelled')` },
    // A week's marker only has to outlive the week's runs.
    { name: 'notifications.weekly-summaries', table: weeklySummaries, timeColumn: weeklySummaries.createdAt, days: () => 35 },
    // A browser's subscription past its own expirationTime (epoch ms) can no longer be sent to.
    { name: 'notifications.expired-push-subscriptions', table: pushSubscriptions, timeColumn: pushSubscriptions.expirationTime, unit: 'ms', days: () => 0 },
    { name: 'notifications.push-outbox', table: pushOutbox, timeColumn: pushOutbox.createdAt, days: (c) => c.RETENTION_OUTBOX_DAYS, where: sql`${pushOutbox.status} in ('sent', 'failed', 'cancelled')` },
  ],
  provides: { outbox: outboxService },
  routes: (app) => {
    // The static paths first, so that /{id} does not swallow them.
    unreadCount(app);
    getPreferences(app);
    updatePreferences(app);
    pushVapidKey(app);
    pushSubscribe(app);
    pushUnsubscribe(app);
    unsubscribePage(app);
    unsubscribe(app);
    markAllRead(app);
    list(app);
    markRead(app);
    remove(app);
  },
});
