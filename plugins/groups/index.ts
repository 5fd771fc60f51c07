import { definePlugin } from '../../core/plugin.ts';
import { groupsService } from './provided.ts';
import create from './routes/create.ts';
import { groupExpenses, groupInvitations, groupLedger, groupMembers, groups } from './tables.ts';

export default definePlugin({
  name: 'groups',
  description: 'Groups of users who share expenses: members and invitations, group expenses, balances in the group currency and settle-up',
  dependencies: ['auth', 'currency', 'expenses'],
  uses: ['expenses'],
  tables: { groups, groupMembers, groupInvitations, groupExpenses, groupLedger },
  provides: { groups: groupsService },
  routes: (app) => {
    create(app);
  },
});
