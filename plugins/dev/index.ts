import { definePlugin } from '../../core/plugin.ts';
import listOutbox from './routes/list-outbox.ts';

// Helpers for development only: outside production. In production the plugin is not loaded,
// so its paths do not exist (404 like any unknown path).
export default definePlugin({
  name: 'dev',
  description: 'Development helpers, absent in production (NODE_ENV=production): the emails the outbox holds',
  dependencies: ['notifications'],
  uses: ['outbox'],
  enabled: (config) => config.NODE_ENV !== 'production',
  routes: (app) => {
    listOutbox(app);
  },
});
