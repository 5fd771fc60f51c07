import { definePlugin } from '../../core/plugin.ts';
import create from './routes/create.ts';
import get from './routes/get.ts';
import list from './routes/list.ts';
import pay from './routes/pay.ts';
import remind from './routes/remind.ts';
import statistics from './routes/statistics.ts';
import { forgetGroup } from './forget-group.ts';
import { splitPayments, splitReminders, splits, splitShares } from './tables.ts';

export default definePlugin({
  name: 'splits',
  description: 'Expenses split among group members: exact shares, payments and reminders, with the debts in the group’s ledger',
  dependencies: ['auth', 'expenses', 'groups'],
  uses: ['expenses', 'groups'],
  tables: { splits, splitShares, splitPayments, splitReminders },
  on: { 'group.deleted': ({ groupId }, platform) => forgetGroup(platform, groupId) },
  routes: (app) => {
    // The static path first, so that /{id} does not swallow it.
    statistics(app);
    list(app);
    create(app);
    get(app);
    pay(app);
    remind(app);
  },
});
