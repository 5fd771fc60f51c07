import { definePlugin } from '../../core/plugin.ts';
import { hubOf } from './hub.ts';
import pull from './routes/pull.ts';
import socket from './routes/socket.ts';
import ticket from './routes/ticket.ts';
import { syncTickets } from './tables.ts';

export default definePlugin({
  name: 'sync',
  description: 'Realtime multi-device sync: the change log by HTTP (pull) and by WebSocket (live events after a catch-up)',
  dependencies: ['auth'],
  tables: { syncTickets },
  routes: (app) => {
    ticket(app);
    pull(app);
    socket(app);
  },
  on: {
    'notification.created': ({ userId, notification }, platform) => hubOf(platform).broadcast(userId, { type: 'notification', notification }),
    // After the write's commit: the user's devices connected here get the new changes.
    'change.recorded': ({ userId }, platform) => {
      // Not awaited: the writer's answer does not wait for the fan-out (its errors are logged by the hub).
      void hubOf(platform).notify(userId);
    },
  },
});
