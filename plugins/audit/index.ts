import { definePlugin } from '../../core/plugin.ts';
import list from './routes/list.ts';

// The log and its chain are core's (core/audit/): the triggers cover every plugin's tables.
export default definePlugin({
  name: 'audit',
  dependencies: ['auth'],
  description: "The account's audit trail: every write, with the fields it changed before and after",
  // A write request seals its rows right after it answers; this catches any a process left unsealed.
  jobs: [{ name: 'audit.seal', cron: '* * * * *', run: async ({ platform }) => platform.audit.seal() }],
  routes: (app) => {
    list(app);
  },
});
