import { definePlugin } from '../../core/plugin.ts';
import { createDueExpenses } from './jobs.ts';
import create from './routes/create.ts';
import remove from './routes/delete.ts';
import get from './routes/get.ts';
import list from './routes/list.ts';
import update from './routes/update.ts';
import { recurringExpenses, recurringOccurrences } from './tables.ts';

export default definePlugin({
  name: 'recurring',
  description: 'Recurring expenses: daily, weekly, monthly or yearly schedules, each occurrence created once as an expense',
  dependencies: ['auth', 'expenses'],
  uses: ['expenses'],
  tables: { recurringExpenses, recurringOccurrences },
  jobs: [createDueExpenses],
  routes: (app) => {
    list(app);
    create(app);
    get(app);
    update(app);
    remove(app);
  },
});
