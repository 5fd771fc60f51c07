import { definePlugin } from '../../core/plugin.ts';
import dashboard from './routes/dashboard.ts';
import spending from './routes/spending.ts';

// No tables: every number comes from the spending service's SQL aggregates (core/services.ts).
export default definePlugin({
  name: 'analytics',
  description: "Dashboard and spending reports, in the user's display currency and time zone",
  dependencies: ['auth', 'currency', 'expenses'],
  uses: ['spending'],
  routes: (app) => {
    dashboard(app);
    spending(app);
  },
});
