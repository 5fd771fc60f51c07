import { definePlugin } from '../../core/plugin.ts';
import { recheckBudgets } from './jobs.ts';
import alerts from './routes/alerts.ts';
import create from './routes/create.ts';
import remove from './routes/delete.ts';
import get from './routes/get.ts';
import list from './routes/list.ts';
import summary from './routes/summary.ts';
import update from './routes/update.ts';
import { recheckUser } from './service.ts';
import { budgetCrossings, budgets } from './tables.ts';

export default definePlugin({
  name: 'budgets',
  description: 'Spending limits per category and period, with their progress, alerts and a summary in the display currency',
  dependencies: ['auth', 'currency', 'expenses'],
  uses: ['spending'],
  tables: { budgets, budgetCrossings },
  routes: (app) => {
    // The static paths first, so that /{id} does not swallow them.
    summary(app);
    alerts(app);
    list(app);
    get(app);
    create(app);
    update(app);
    remove(app);
  },
  jobs: [recheckBudgets],
  // An expense written can push the budgets of its category and period across a threshold.
  // A deletion only lowers spending, but a new period or newly loaded rates may meet it: all
  // budgets are checked then (the re-check job catches the rest).
  on: {
    'expense.created': ({ userId, expense }, platform) => recheckUser(platform, userId, expense),
    'expense.updated': ({ userId, expense }, platform) => recheckUser(platform, userId, expense),
    'expense.deleted': ({ userId }, platform) => recheckUser(platform, userId),
  },
});
