import { definePlugin } from '../../core/plugin.ts';
import { pruneSessions } from './sessions.ts';
import { backupCodes, twoFactor } from './tables.ts';
import changePassword from './routes/change-password.ts';
import getMe from './routes/get-me.ts';
import listSessions from './routes/list-sessions.ts';
import logout from './routes/logout.ts';
import revokeSession from './routes/revoke-session.ts';
import security from './routes/security.ts';
import twoFactorDisable from './routes/two-factor-disable.ts';
import twoFactorSetup from './routes/two-factor-setup.ts';
import twoFactorStatus from './routes/two-factor-status.ts';
import twoFactorVerify from './routes/two-factor-verify.ts';
import twoFactorVerifySetup from './routes/two-factor-verify-setup.ts';
import login from './routes/login.ts';
import register from './routes/register.ts';
import updateMe from './routes/update-me.ts';

// The user and session tables are core's (core/auth/tables.ts): every plugin authenticates against them.
export default definePlugin({
  name: 'auth',
  tables: { twoFactor, backupCodes },
  jobs: [pruneSessions],
  description: 'Accounts: register, log in, the current user and their settings, sessions, the password and two-factor sign-in',
  routes: (app) => {
    register(app);
    login(app);
    getMe(app);
    updateMe(app);
    listSessions(app);
    revokeSession(app);
    security(app);
    logout(app);
    changePassword(app);
    twoFactorSetup(app);
    twoFactorVerifySetup(app);
    twoFactorDisable(app);
    twoFactorStatus(app);
    twoFactorVerify(app);
  },
});
