import { definePlugin } from '../../core/plugin.ts';
import create from './routes/create.ts';
import remove from './routes/delete.ts';
import list from './routes/list.ts';

// The api_key table is core's (core/auth/tables.ts): requireAuth looks keys up on every host.
export default definePlugin({
  name: 'keys',
  description: 'API keys for scripts and integrations: scoped, optionally expiring, shown once, revoked at once',
  dependencies: ['auth'],
  routes: (app) => {
    list(app);
    create(app);
    remove(app);
  },
});
