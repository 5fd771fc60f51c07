import { definePlugin } from '../../core/plugin.ts';
import getMe from './routes/get-me.ts';
import login from './routes/login.ts';
import register from './routes/register.ts';
import updateMe from './routes/update-me.ts';

// The user table itself is core's (core/auth/tables.ts): every plugin authenticates against it.
export default definePlugin({
  name: 'auth',
  description: 'Accounts: register, log in, the current user and their settings',
  routes: (app) => {
    register(app);
    login(app);
    getMe(app);
    updateMe(app);
  },
});
