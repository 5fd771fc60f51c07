import { definePlugin } from '../../core/plugin.ts';
import contribute from './routes/contribute.ts';
import create from './routes/create.ts';
import remove from './routes/delete.ts';
import get from './routes/get.ts';
import list from './routes/list.ts';
import update from './routes/update.ts';
import { goalContributions, goalMilestones, goals } from './tables.ts';

export default definePlugin({
  name: 'goals',
  description: 'Savings and other financial goals: contributions, progress, milestones at 25, 50 and 75% and completion',
  dependencies: ['auth'],
  tables: { goals, goalContributions, goalMilestones },
  routes: (app) => {
    list(app);
    create(app);
    get(app);
    update(app);
    remove(app);
    contribute(app);
  },
});
