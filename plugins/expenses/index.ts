import { definePlugin } from '../../core/plugin.ts';
import './events.ts';
import createCategory from './routes/create-category.ts';
import create from './routes/create.ts';
import deleteCategory from './routes/delete-category.ts';
import remove from './routes/delete.ts';
import { expensesService } from './records.ts';
import { spending } from './spending.ts';
import get from './routes/get.ts';
import listCategories from './routes/list-categories.ts';
import list from './routes/list.ts';
import update from './routes/update.ts';
import { expenseCategories, expenseCategoryDays, expenseDays, expenses } from './tables.ts';

export default definePlugin({
  name: 'expenses',
  description: 'Income and expenses in any ISO 4217 currency, shown in the user’s display currency',
  dependencies: ['auth', 'currency'],
  tables: { expenses, expenseCategories, expenseDays, expenseCategoryDays },
  provides: { spending, expenses: expensesService },
  routes: (app) => {
    // The static /categories paths first, so that /{id} does not swallow them.
    listCategories(app);
    createCategory(app);
    deleteCategory(app);
    list(app);
    get(app);
    create(app);
    update(app);
    remove(app);
  },
});
