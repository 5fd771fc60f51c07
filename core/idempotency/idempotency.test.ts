import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { requireAuth } from '../auth/require-auth.ts';
import { scoped } from '../auth/scopes.ts';
import { errors, jsonContent } from '../http/openapi.ts';
import { definePlugin } from '../plugin.ts';
import { idempotencyKeys } from './tables.ts';

// A write that fails with a 500 the first time it runs and succeeds after: a fault a retry should get past.
let flakyRuns = 0;
const flaky = definePlugin({
  name: 'flaky',
  description: 'fails once',
  routes: (app) => {
    const route = createRoute({
      method: 'post',
      path: '/',
      operationId: 'flaky',
      tags: ['flaky'],
      security: scoped('expenses:write'),
      middleware: requireAuth,
      responses: { 201: jsonContent(z.object({ run: z.number() }), 'Ran'), ...errors(401) },
    });
    app.openapi(route, (c) => {
      flakyRuns += 1;
      if (flakyRuns === 1) throw new Error('a fault');
      return c.json({ run: flakyRuns }, 201);
    });
  },
});

describe('Idempotency-Key', async () => {
  let nowMs = Date.now();
  const { api, platform } = await createTestApp({ clock: { now: () => new Date(nowMs) }, ocr: null, extraPlugins: [flaky] });
  const expense = { description: 'Museum', amount: 20, currency: 'USD', category: 'entertainment', date: '2025-05-09' };
  const post = (path: string, body: unknown, token: string, key?: string) =>
    api.call('POST', path, { token, body, ...(key !== undefined && { headers: { 'idempotency-key': key } }) });

  it('replays the first answer to a retry with the same key and body, and runs it once', async () => {
    const user = await api.register();
    const first = await post('/api/expenses', expense, user.token, 'create-museum');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await post('/api/expenses', expense, user.token, 'create-museum');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await api.get('/api/expenses', user.token)).body).toHaveLength(1);
    // Without the header, the same request is a second expense.
    expect((await post('/api/expenses', expense, user.token)).status).toBe(201);
    expect((await api.get('/api/expenses', user.token)).body).toHaveLength(2);
  });

  it('is 409 for the same key with another body or path; another user’s same key is theirs', async () => {
    const user = await api.register();
    const other = await api.register();
    expect((await post('/api/expenses', expense, user.token, 'k1')).status).toBe(201);
    const reused = await post('/api/expenses', { ...expense, amount: 21 }, user.token, 'k1');
    expect(reused).toMatchObject({ status: 409, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect((await post('/api/goals', { name: 'Bike', targetAmount: 500 }, user.token, 'k1')).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await post('/api/expenses', expense, other.token, 'k1')).headers.get('idempotent-replayed')).toBeNull();
    expect((await api.get('/api/expenses', other.token)).body).toHaveLength(1);
  });

  it('keeps a 4xx answer too, and replays a DELETE', async () => {
    const user = await api.register();
    const bad = await post('/api/expenses', { ...expense, amount: -5 }, user.token, 'bad');
    expect(bad.status).toBe(400);
    const badAgain = await post('/api/expenses', { ...expense, amount: -5 }, user.token, 'bad');
    expect(badAgain).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(badAgain.headers.get('idempotent-replayed')).toBe('true');

    const { _id } = (await post('/api/expenses', expense, user.token)).body;
    const del = () => api.call('DELETE', `/api/expenses/${_id}`, { token: user.token, headers: { 'idempotency-key': 'del' } });
    expect((await del()).status).toBe(200);
    const replayed = await del();
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  });

  it('does not keep a 5xx: the retry runs again', async () => {
    const user = await api.register();
    expect((await post('/api/flaky', {}, user.token, 'flaky-1')).status).toBe(500);
    const retry = await post('/api/flaky', {}, user.token, 'flaky-1');
    expect(retry).toMatchObject({ status: 201, body: { run: 2 } });
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect((await post('/api/flaky', {}, user.token, 'flaky-1')).headers.get('idempotent-replayed')).toBe('true');
  });

  it('creates one expense for 20 concurrent requests with one key, through an API key too', async () => {
    const user = await api.register();
    const { key } = (await api.post('/api/keys', { name: 'ci', scopes: ['expenses:write', 'expenses:read'] }, user.token)).body;
    for (const token of [user.token, key as string]) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => post('/api/expenses', expense, token, `burst-${token.slice(0, 8)}`)));
      const created = answers.filter((a) => a.status === 201);
      const waiting = answers.filter((a) => a.status === 409);
      expect(created.length + waiting.length).toBe(20);
      expect(waiting.every((a) => a.body.code === 'IDEMPOTENCY_IN_PROGRESS')).toBe(true);
      expect(new Set(created.map((a) => a.body._id)).size).toBe(1);
      expect(created.filter((a) => a.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    }
    expect((await api.get('/api/expenses', user.token)).body).toHaveLength(2);
  });

  it('refuses a key that is empty, too long or not printable ASCII with a 400', async () => {
    const user = await api.register();
    for (const bad of ['', 'x'.repeat(256), 'café']) {
      expect((await post('/api/expenses', expense, user.token, bad)).body.code, JSON.stringify(bad)).toBe('INVALID_IDEMPOTENCY_KEY');
    }
    expect((await post('/api/expenses', expense, user.token, '~'.repeat(255))).status).toBe(201);
    expect((await api.get('/api/expenses', user.token)).body).toHaveLength(1);
  });

  it('forgets a key after 24 hours: the retention job deletes it, and the same key runs again', async () => {
    const user = await api.register();
    expect((await post('/api/expenses', expense, user.token, 'daily')).status).toBe(201);
    nowMs += 24 * 3_600_000 + 1000;
    const next = await post('/api/expenses', expense, user.token, 'daily');
    expect(next.status).toBe(201);
    expect(next.headers.get('idempotent-replayed')).toBeNull();
    expect((await api.get('/api/expenses', user.token)).body).toHaveLength(2);
    nowMs += 24 * 3_600_000 + 1000;
    await platform.jobs.run('retention', 'manual');
    expect(await platform.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, user.id))).toEqual([]);
  });
});
