import { definePlugin } from '../../core/plugin.ts';
import { hubOf } from './hub.ts';
import delta from './routes/delta.ts';
import pull from './routes/pull.ts';
import socket from './routes/socket.ts';
import ticket from './routes/ticket.ts';
import { syncOperations, syncTickets } from './tables.ts';

export default definePlugin({
  name: 'sync',
  description: 'Realtime multi-device sync: the change log by HTTP (pull) and by WebSocket (live events after a catch-up); offline edits (delta)',
  // expenses: offline deltas write expenses through its `expenses` service (core/services.ts).
  dependencies: ['auth', 'expenses'],
  uses: ['expenses'],
  tables: { syncTickets, syncOperations },
  routes: (app) => {
    ticket(app);
    pull(app);
    delta(app);
    socket(app);
  },
  on: {
    'notification.created': ({ userId, notification }, platform) => {
      const message = { type: 'notification', notification } as const;
      if (platform.realtime?.kind === 'rooms') platform.realtime.broadcast(userId, message);
      else hubOf(platform).broadcast(userId, message);
    },
    // After the write's commit: the user's other devices get the new changes. Neither form is
    // awaited: the writer's answer does not wait for the fan-out (its errors are logged there).
    'change.recorded': ({ userId }, platform) => {
      if (platform.realtime?.kind === 'rooms') platform.realtime.published(userId);
      else void hubOf(platform).notify(userId);
    },
  },
});
