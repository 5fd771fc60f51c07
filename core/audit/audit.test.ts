import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { auditHead, auditLog } from './tables.ts';

describe('audit log', async () => {
  const { api, app, platform } = await createTestApp({ ocr: null });
  const { db } = platform;

  const trail = async (token: string, query = '') => (await api.get(`/api/audit${query}`, token)).body;

  it('records a write with the fields it changed, before and after, its request id and address', async () => {
    const { token, id: userId } = await api.register();
    const created = await api.post('/api/expenses', { description: 'Museum', amount: 20, currency: 'EUR', category: 'entertainment', date: '2025-05-09' }, token);
    expect(created.status).toBe(201);
    const expenseId = created.body._id as string;
    const res = await app.request(`/api/expenses/${expenseId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': 'req-audit-1', 'x-forwarded-for': '203.0.113.7' },
      body: JSON.stringify({ amount: 25.5 }),
    });
    expect(res.status).toBe(200);
    const { entries } = await trail(token);
    const update = entries.find((e: { entity: string; op: string }) => e.entity === 'expense' && e.op === 'UPDATE');
    expect(update).toMatchObject({ entityId: expenseId, requestId: 'req-audit-1', ip: '203.0.113.7', actorId: userId });
    expect(update.before).toMatchObject({ amount_minor: 2000 });
    expect(update.after).toMatchObject({ amount_minor: 2550 });
    // Only what changed (and the bookkeeping that moves with it), never the whole row.
    expect(update.before).not.toHaveProperty('description');
    const create = entries.find((e: { entity: string; op: string }) => e.entity === 'expense' && e.op === 'CREATE');
    expect(create.before).toBeNull();
    expect(create.after).toMatchObject({ description: 'Museum', amount_minor: 2000, category: 'entertainment' });
    // The account itself, the first session: the sign-up was signed in as nobody yet.
    expect(entries.find((e: { entity: string }) => e.entity === 'user')).toMatchObject({ op: 'CREATE', actorId: null, entityId: userId });
    expect(entries.find((e: { entity: string }) => e.entity === 'user').after.password_hash).toBe('[redacted]');
  });

  it('shows a user only their own trail, a page at a time', async () => {
    const a = await api.register();
    const b = await api.register();
    for (const name of ['one', 'two', 'three']) await api.post('/api/expenses/categories', { name }, a.token);
    const mine = await trail(b.token);
    expect(mine.entries.every((e: { entity: string; entityId: string }) => !e.entityId.includes(a.id))).toBe(true);
    const first = await api.get('/api/audit?limit=2', a.token);
    expect(first.body.entries).toHaveLength(2);
    expect(first.headers.get('link')).toContain('cursor=');
    const second = await trail(a.token, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.entries[0].id).toBeLessThan(first.body.entries[1].id);
    expect((await api.get('/api/audit?cursor=nonsense', a.token)).status).toBe(400);
  });

  it('logs nothing for a write that changes nothing, nor for "last seen" of a session', async () => {
    const { token, id } = await api.register();
    const before = (await trail(token)).entries.length;
    await api.patch('/api/auth/me', { name: 'Test User' }, token);
    await db.run(sql`update session set last_seen_at = '2030-01-01T00:00:00.000Z' where user_id = ${id}`);
    const after = (await trail(token)).entries;
    // The settings change bumps its version (a real update); nothing for the session.
    expect(after.filter((e: { entity: string }) => e.entity === 'session')).toHaveLength(1);
    expect(after.length - before).toBe(1);
  });

  it("puts a write to another user's data in that user's trail, naming who wrote it", async () => {
    const admin = await api.register();
    const member = await api.register();
    const group = await api.post('/api/groups', { name: 'Trip' }, admin.token);
    expect(group.status).toBe(201);
    const groupId = group.body.data._id as string;
    expect((await api.post(`/api/groups/${groupId}/members`, { email: member.email }, admin.token)).status).toBe(201);
    const theirs = (await trail(member.token)).entries.find((e: { entity: string }) => e.entity === 'group_member');
    expect(theirs).toMatchObject({ op: 'CREATE', entityId: `${groupId}:${member.id}`, actorId: admin.id, ip: null });
    const mine = (await trail(admin.token)).entries;
    // The group itself has no owner column: the writer's trail.
    expect(mine.find((e: { entity: string }) => e.entity === 'expense_group')).toMatchObject({ op: 'CREATE', entityId: groupId });
    expect(mine.filter((e: { entity: string; entityId: string }) => e.entity === 'group_member' && e.entityId.endsWith(member.id))).toHaveLength(0);
  });

  it('attributes a write outside any request (a job) to the row owner, with no request', async () => {
    const { token, id } = await api.register();
    await db.run(sql`update user set time_zone = 'Europe/Paris' where id = ${id}`);
    const [entry] = (await trail(token)).entries;
    expect(entry).toMatchObject({ entity: 'user', entityId: id, op: 'UPDATE', actorId: null, requestId: null, ip: null, before: { time_zone: 'UTC' }, after: { time_zone: 'Europe/Paris' } });
  });

  it('refuses to change or delete a log row', async () => {
    await api.register();
    const refusal = (q: ReturnType<typeof sql>) => db.run(q).then(() => 'done', (err: Error) => String(err.cause));
    expect(await refusal(sql`delete from audit_log where id = 1`)).toMatch(/append-only/);
    expect(await refusal(sql`update audit_log set entity = 'x' where id = 1`)).toMatch(/append-only/);
    // The sealer's own update, a hash where there was none, is the one allowed.
    expect(await refusal(sql`update audit_log set hash = 'x' where id = (select max(id) from audit_log) and hash is null`)).toBe('done');
  });
});

describe('audit chain', () => {
  // Someone with the database in hand drops the guards first, then edits: the chain still tells.
  const tamper = (platform: { db: { run: (q: ReturnType<typeof sql>) => Promise<unknown> } }) =>
    Promise.all([platform.db.run(sql`drop trigger audit_log_no_update`), platform.db.run(sql`drop trigger audit_log_no_delete`)]);

  async function sealedApp() {
    const t = await createTestApp({ ocr: null });
    const { token } = await t.api.register();
    for (let i = 0; i < 3; i++) await t.api.post('/api/expenses', { description: `E${i}`, amount: 5 + i, currency: 'USD', category: 'food', date: '2025-05-09' }, token);
    await t.platform.audit.seal();
    const rows = await t.platform.db.select({ id: auditLog.id }).from(auditLog);
    return { ...t, rows: rows.length };
  }

  it('holds for an intact log, with rows waiting to be sealed at the end', async () => {
    const { platform, api, rows } = await sealedApp();
    expect(await platform.audit.verify()).toEqual({ ok: true, rows, unsealed: 0 });
    await api.register();
    const verdict = await platform.audit.verify();
    expect(verdict.ok).toBe(true);
    expect(verdict.unsealed).toBeGreaterThan(0);
    await platform.audit.seal();
    expect((await platform.audit.verify()).unsealed).toBe(0);
  });

  it('finds an edited row', async () => {
    const { platform } = await sealedApp();
    await tamper(platform);
    await platform.db.run(sql`update audit_log set after = json_set(after, '$.amount_minor', 1) where id = 4`);
    expect(await platform.audit.verify()).toMatchObject({ ok: false, broken: { id: 4 } });
  });

  it('finds an edited row whose hash was recomputed without the rows after it', async () => {
    const { platform } = await sealedApp();
    await tamper(platform);
    await platform.db.run(sql`update audit_log set ip = '198.51.100.1', hash = '${sql.raw('f'.repeat(64))}' where id = 3`);
    expect((await platform.audit.verify()).broken?.id).toBe(3);
  });

  it('finds a deleted row', async () => {
    const { platform } = await sealedApp();
    await tamper(platform);
    await platform.db.run(sql`delete from audit_log where id = 3`);
    expect(await platform.audit.verify()).toMatchObject({ ok: false, broken: { id: 3, reason: expect.stringMatching(/missing/) } });
  });

  it('finds rows deleted from the end, by the head', async () => {
    const { platform, rows } = await sealedApp();
    await tamper(platform);
    await platform.db.run(sql`delete from audit_log where id >= ${rows - 1}`);
    expect(await platform.audit.verify()).toMatchObject({ ok: false, broken: { id: rows - 1, reason: expect.stringMatching(/end/) } });
  });

  it('npm run audit:verify prints the first broken link and exits non-zero', async () => {
    const { platform, databaseFile } = await sealedApp();
    const run = () =>
      spawnSync('node_modules/.bin/node', ['scripts/audit-verify.ts'], { env: { ...process.env, DATABASE_URL: `file:${databaseFile}` }, encoding: 'utf8' });
    const intact = run();
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/intact/);
    await tamper(platform);
    await platform.db.run(sql`delete from audit_log where id = 2`);
    const broken = run();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/BROKEN at row 2: row 2 is missing/);
  });

  it('lets two sealers run at once and agree', async () => {
    const { platform, api } = await sealedApp();
    const { token } = await api.register();
    for (let i = 0; i < 5; i++) await api.post('/api/expenses/categories', { name: `c${i}` }, token);
    await Promise.all([platform.audit.seal(), platform.audit.seal(), platform.audit.seal()]);
    const [head] = await platform.db.select().from(auditHead);
    const [last] = await platform.db.select({ id: sql<number>`max(id)` }).from(auditLog);
    expect(head!.lastId).toBe(last!.id);
    expect((await platform.audit.verify()).ok).toBe(true);
  });
});
