import { definePlugin } from '../../core/plugin.ts';
import { listenersFor } from './deliver.ts';
import { deliverEmails } from './email-delivery.ts';
import { outboxService } from './outbox.ts';
import remove from './routes/delete.ts';
import getPreferences from './routes/get-preferences.ts';
import list from './routes/list.ts';
import markAllRead from './routes/mark-all-read.ts';
import markRead from './routes/mark-read.ts';
import unreadCount from './routes/unread-count.ts';
import unsubscribe from './routes/unsubscribe.ts';
import unsubscribePage from './routes/unsubscribe-page.ts';
import updatePreferences from './routes/update-preferences.ts';
import { emailOutbox, notificationPreferences, notifications } from './tables.ts';
import { templates } from './templates.ts';

// Depends on no domain plugin: it hears the events declared in core (core/events.ts).
export default definePlugin({
  name: 'notifications',
  description: 'In-app notifications about budgets, goals and security, with email and push preferences',
  dependencies: ['auth'],
  tables: { notifications, notificationPreferences, emailOutbox },
  on: listenersFor(templates),
  jobs: [deliverEmails],
  provides: { outbox: outboxService },
  routes: (app) => {
    // The static paths first, so that /{id} does not swallow them.
    unreadCount(app);
    getPreferences(app);
    updatePreferences(app);
    unsubscribePage(app);
    unsubscribe(app);
    markAllRead(app);
    list(app);
    markRead(app);
    remove(app);
  },
});
