import { describe, expect, it } from 'vitest';
import { createTestApp } from '../tests/support/app.ts';
import { definePlugin } from './plugin.ts';

describe('the app shell', async () => {
  const { api } = await createTestApp();
  const { token } = await api.register();

  it('reports health, version and the database', async () => {
    const res = await api.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: 'ok', jobs: expect.any(Array) });
  });

  it("shows each job's latest run: this process's at once, another process's within the status cache's life", async () => {
    const one = await createTestApp({ dispatcher: { statusTtlMs: 1500 } });
    const other = await createTestApp({ databaseFile: one.databaseFile });
    const jobOf = async (name: string) => ((await one.api.get('/health')).body.jobs as { name: string; lastRun: unknown }[]).find((j) => j.name === name);
    expect(await jobOf('budgets.recheck')).toEqual({ name: 'budgets.recheck', cron: '*/15 * * * *', lastRun: null });

    await one.platform.jobs.run('budgets.recheck', 'manual');
    expect(await jobOf('budgets.recheck')).toEqual({
      name: 'budgets.recheck',
      cron: '*/15 * * * *',
      lastRun: { trigger: 'manual', startedAt: expect.any(String), finishedAt: expect.any(String), outcome: 'ok', items: 0 },
    });

    await new Promise((r) => setTimeout(r, 1500));
    expect((await jobOf('currency.refresh'))?.lastRun).toBeNull(); // the table is read now, and kept for 1.5 s
    await expect(other.platform.jobs.run('currency.refresh', 'cron')).rejects.toThrow(); // no rate source in tests
    expect((await jobOf('currency.refresh'))?.lastRun).toBeNull();
    await new Promise((r) => setTimeout(r, 1600));
    // The failure's message stays in the table and the logs: /health is public.
    expect((await jobOf('currency.refresh'))?.lastRun).toEqual({ trigger: 'cron', startedAt: expect.any(String), finishedAt: expect.any(String), outcome: 'failed', items: null });
  });

  it('serves the OpenAPI 3.1 document and an interactive reference', async () => {
    const doc = await api.get('/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/api/expenses/{id}');
    const { app } = await createTestApp();
    const docs = await app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });

  it('answers an unknown route with the error shape', async () => {
    const res = await api.get('/api/nothing-here', token);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: 'NOT_FOUND', error: 'Route not found' });
  });

  it('refuses a body over 1 MB with 413', async () => {
    const res = await api.post('/api/expenses', { description: 'x'.repeat(1024 * 1024 + 10) }, token);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await api.call('POST', '/api/expenses', {
      token,
      body: 'description=Lunch&amount=5',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ success: false, code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers malformed JSON with 400, without parser internals', async () => {
    const res = await api.call('POST', '/api/auth/login', { body: '{"email": ' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(res.body)).not.toMatch(/at JSON\.parse|SyntaxError/);
  });

  it('refuses operator objects in place of values', async () => {
    const login = await api.post('/api/auth/login', { email: { $gt: '' }, password: { $ne: null } });
    expect(login.status).toBe(400);
    expect(login.body.details.map((d: { path: string }) => d.path)).toEqual(['json.email', 'json.password']);
    const create = await api.post('/api/expenses', { description: 'x', amount: { $gt: 0 }, category: 'food' }, token);
    expect(create.status).toBe(400);
  });

  it('sends security headers and CORS for FRONTEND_URL only', async () => {
    const allowed = await api.call('GET', '/api/auth/me', { token, headers: { origin: 'http://localhost:3000' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(allowed.headers.get('x-frame-options')).toBe('DENY');
    expect(allowed.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(allowed.headers.get('cache-control')).toBe('no-store');
    expect(allowed.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(allowed.headers.get('x-request-id')).toBeTruthy();
    const other = await api.call('GET', '/api/auth/me', { token, headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('turns an unexpected exception into a bare 500 with the request id', async () => {
    const boom = definePlugin({
      name: 'boom',
      description: 'throws',
      routes: (app) => {
        app.get('/', () => {
          throw new Error('SELECT * FROM secret_table at /srv/app/core/db.ts:42');
        });
      },
    });
    const { api: withBoom } = await createTestApp({ extraPlugins: [boom] });
    const res = await withBoom.get('/api/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ success: false, error: 'internal error', code: 'INTERNAL', requestId: res.headers.get('x-request-id') });
  });
});
