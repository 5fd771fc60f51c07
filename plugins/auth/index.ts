import { definePlugin } from '../../core/plugin.ts';
import changePassword from './routes/change-password.ts';
import getMe from './routes/get-me.ts';
import listSessions from './routes/list-sessions.ts';
import logout from './routes/logout.ts';
import revokeSession from './routes/revoke-session.ts';
import login from './routes/login.ts';
import register from './routes/register.ts';
import updateMe from './routes/update-me.ts';

// The user table itself is core's (core/auth/tables.ts): every plugin authenticates against it.
export default definePlugin({
  name: 'auth',
  description: 'Accounts: register, log in, the current user and their settings, sessions and the password',
  routes: (app) => {
    register(app);
    login(app);
    getMe(app);
    updateMe(app);
    listSessions(app);
    revokeSession(app);
    logout(app);
    changePassword(app);
  },
});
