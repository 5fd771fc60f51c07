import { definePlugin } from '../../core/plugin.ts';
import list from './routes/list.ts';

// The feed itself is a core port (platform.feed): plugins record into it, this plugin serves it.
export default definePlugin({
  name: 'events',
  description: 'Your events feed: every domain event of the last 30 days, paged by a cursor',
  dependencies: ['auth'],
  routes: (app) => {
    list(app);
  },
});
