import { and, desc, eq, gt, isNull, lt, or } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import type { Context } from 'hono';
import { signToken } from '../../core/auth/jwt.ts';
import { sessions, type SessionRow } from '../../core/auth/tables.ts';
import { notFound } from '../../core/http/errors.ts';
import type { JobDefinition } from '../../core/jobs.ts';
import type { AppEnv, Platform } from '../../core/platform.ts';

/** Where a sign-in comes from: what the session list shows the user. */
export interface ClientInfo {
  deviceName: string;
  ip: string | null;
  userAgent: string | null;
}

/** The most sessions the list shows: the latest ones (each login makes one; they end with their token). */
export const MAX_LISTED_SESSIONS = 100;
const USER_AGENT_MAX = 512;

const browsers: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS/, 'Firefox'],
  [/Chrome\/|CriOS/, 'Chrome'],
  [/Safari\//, 'Safari'],
  [/^curl\//, 'curl'],
];
const systems: [RegExp, string][] = [
  [/iPhone/, 'iPhone'],
  [/iPad/, 'iPad'],
  [/Android/, 'Android'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Firefox on Linux" from a User-Agent; the client's own name for itself wins when it gives one. */
export function deviceNameOf(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const browser = browsers.find(([re]) => re.test(userAgent))?.[1];
  const system = systems.find(([re]) => re.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? (userAgent.slice(0, 60).trim() || 'Unknown device');
}

export function clientInfo(c: Context<AppEnv>, deviceName: string | undefined): ClientInfo {
  const agent = c.req.header('user-agent');
  const userAgent = agent ? agent.slice(0, USER_AGENT_MAX) : null;
  return { deviceName: deviceName ?? deviceNameOf(userAgent), ip: c.get('platform').clientAddress(c) ?? null, userAgent };
}

/** Opens a session for the user and signs its token. */
export async function openSession(platform: Platform, userId: string, client: ClientInfo): Promise<{ token: string; sessionId: string }> {
  const { config, clock, ids, db } = platform;
  const id = ids.next();
  const token = await signToken(userId, config.JWT_SECRET, config.JWT_EXPIRE, id);
  const now = clock.now().toISOString();
  await db.insert(sessions).values({
    id,
    userId,
    deviceName: client.deviceName,
    ip: client.ip,
    userAgent: client.userAgent,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(decodeJwt(token).exp! * 1000).toISOString(),
  });
  return { token, sessionId: id };
}

const live = (platform: Platform, userId: string) =>
  and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, platform.clock.now().toISOString()));

function toSession(row: SessionRow, currentId: string) {
  return {
    id: row.id,
    deviceName: row.deviceName,
    ip: row.ip,
    userAgent: row.userAgent,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    current: row.id === currentId,
  };
}

/** The user's sessions still signed in, the latest first. */
export async function listSessions(platform: Platform, userId: string, currentId: string) {
  const rows = await platform.db
    .select()
    .from(sessions)
    .where(live(platform, userId))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(MAX_LISTED_SESSIONS);
  return rows.map((r) => toSession(r, currentId));
}

/** Signs one of the user's sessions out; another user's id, or one already over, is 404. */
export async function revokeSession(platform: Platform, userId: string, sessionId: string) {
  const revoked = await platform.db
    .update(sessions)
    .set({ revokedAt: platform.clock.now().toISOString() })
    .where(and(eq(sessions.id, sessionId), live(platform, userId)))
    .returning({ id: sessions.id });
  if (revoked.length === 0) throw notFound('Session');
}

/** Sessions over for a day (expired or signed out) are only history: the list never shows them. */
const KEEP_ENDED_MS = 86_400_000;

/** Deletes ended sessions, so the table holds the live ones and a day of the rest. */
export const pruneSessions: JobDefinition = {
  name: 'auth.prune-sessions',
  // The rates job's schedule: one cron trigger fewer on Workers (a test matches them to wrangler.toml).
  cron: '5 */3 * * *',
  async run({ platform }) {
    const now = platform.clock.now().getTime();
    const cutoff = new Date(now - KEEP_ENDED_MS).toISOString();
    await platform.db.delete(sessions).where(or(lt(sessions.expiresAt, cutoff), lt(sessions.revokedAt, cutoff)));
  },
};
