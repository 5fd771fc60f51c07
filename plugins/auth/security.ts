import { FAILURE_TYPES } from '../../core/security/port.ts';
import type { Platform } from '../../core/platform.ts';
import { listSessions } from './sessions.ts';

/** GET /api/auth/security: the latest sign-ins, the live sessions, the latest failures. */
export async function securityOverview(platform: Platform, user: { id: string; sessionId: string }, limit: number) {
  const [signIns, sessions, failures] = await Promise.all([
    platform.security.recent(user.id, ['sign_in'], limit),
    listSessions(platform, user.id, user.sessionId),
    platform.security.recent(user.id, FAILURE_TYPES, limit),
  ]);
  return {
    signIns: signIns.map((e) => ({
      at: e.at,
      sessionId: e.sessionId,
      deviceName: e.deviceName,
      ip: e.ip,
      userAgent: e.userAgent,
      newDevice: e.detail === 'new_device',
    })),
    sessions,
    failures: failures.map((e) => ({
      at: e.at,
      type: e.type as 'login_failed' | 'account_locked' | 'token_refused',
      reason: e.detail,
      ip: e.ip,
      userAgent: e.userAgent,
    })),
  };
}
