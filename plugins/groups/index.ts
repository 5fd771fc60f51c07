import { definePlugin } from '../../core/plugin.ts';
import { acceptInvitations } from './members.ts';
import { groupsService } from './provided.ts';
import addExpense from './routes/add-expense.ts';
import addMember from './routes/add-member.ts';
import balances from './routes/balances.ts';
import create from './routes/create.ts';
import remove from './routes/delete.ts';
import get from './routes/get.ts';
import leave from './routes/leave.ts';
import listSettlements from './routes/list-settlements.ts';
import list from './routes/list.ts';
import recordSettlement from './routes/record-settlement.ts';
import removeMember from './routes/remove-member.ts';
import settings from './routes/settings.ts';
import statistics from './routes/statistics.ts';
import suggestedSettlements from './routes/suggested-settlements.ts';
import { groupExpenses, groupInvitations, groupLedger, groupMembers, groups } from './tables.ts';

export default definePlugin({
  name: 'groups',
  description: 'Groups of users who share expenses: members and invitations, group expenses, balances in the group currency and settle-up',
  dependencies: ['auth', 'currency', 'expenses'],
  uses: ['expenses'],
  tables: { groups, groupMembers, groupInvitations, groupExpenses, groupLedger },
  provides: { groups: groupsService },
  on: {
    // An email invited before it had an account: its invitations become memberships now.
    'user.registered': ({ userId, email }, platform) => acceptInvitations(platform, userId, email),
  },
  routes: (app) => {
    list(app);
    create(app);
    get(app);
    remove(app);
    settings(app);
    addMember(app);
    removeMember(app);
    leave(app);
    statistics(app);
    addExpense(app);
    balances(app);
    suggestedSettlements(app);
    listSettlements(app);
    recordSettlement(app);
  },
});
