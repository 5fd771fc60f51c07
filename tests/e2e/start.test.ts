import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { createExpenseFlowClient } from '../../openapi/client.ts';
import { startRatesServer, UNREACHABLE_URL } from '../support/rates-server.ts';
import { startServer } from './server.ts';

describe('npm start, then a new user', async () => {
  const rates = await startRatesServer();
  const server = await startServer({ EXCHANGE_RATES_URL: rates.dailyUrl, EXCHANGE_RATES_HISTORY_URL: rates.historyUrl });
  afterAll(async () => {
    await server.stop();
    await rates.close();
  });
  const anonymous = createExpenseFlowClient(server.baseUrl);

  it('creates and migrates the database and reports health', async () => {
    const { data, response } = await anonymous.GET('/health');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('registers, logs in, adds expenses in two currencies and lists them converted', async () => {
    const registered = await anonymous.POST('/api/auth/register', { body: { name: 'Ada', email: 'ada@example.com', password: 'correct horse' } });
    expect(registered.response.status).toBe(201);
    const login = await anonymous.POST('/api/auth/login', { body: { email: 'ada@example.com', password: 'correct horse' } });
    expect(login.data?.user).toEqual(registered.data?.user);
    const client = createExpenseFlowClient(server.baseUrl, login.data!.token);

    // The rates load in the background after start: wait until they are there.
    for (let i = 0; i < 50 && (await client.GET('/api/currency/rates')).response.status !== 200; i++) await new Promise((r) => setTimeout(r, 100));

    const usd = await client.POST('/api/expenses', { body: { description: 'Groceries', amount: 85.3, currency: 'USD', category: 'food', date: '2025-05-09' } });
    const eur = await client.POST('/api/expenses', { body: { description: 'Museum', amount: 20, currency: 'EUR', category: 'entertainment', date: '2025-05-09' } });
    expect(usd.response.status).toBe(201);
    expect(eur.response.status).toBe(201);

    const { data: list, response } = await client.GET('/api/expenses', { params: { query: { limit: 50 } } });
    expect(response.status).toBe(200);
    expect(list!.map((e) => [e.description, e.originalCurrency, e.displayCurrency, e.displayAmount, e.conversionPending])).toEqual([
      ['Museum', 'EUR', 'USD', 22.5, false], // 20 EUR × 1.1252 (ECB, 2025-05-09)
      ['Groceries', 'USD', 'USD', 85.3, false],
    ]);
  });

  it('logs JSON lines with a request id', async () => {
    // Lines are written in batches, once per turn of the server's event loop: wait for this one.
    const request = () => server.logs().find((l) => l.msg === 'request' && l.method === 'GET' && l.path === '/api/expenses');
    await expect.poll(request).toMatchObject({ level: 'info', method: 'GET', status: 200, requestId: expect.any(String) });
  });
});

describe('npm start with a wrong setting', () => {
  it('stops with a message naming the variable', () => {
    const run = spawnSync('npm', ['start', '--silent'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, PORT: 'eighty', DATA_DIR: tmpdir() },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('Invalid configuration:');
    expect(run.stderr).toMatch(/PORT: .*number/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('npm start with the rate source offline', async () => {
  const server = await startServer({ EXCHANGE_RATES_URL: UNREACHABLE_URL, EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL });
  afterAll(() => server.stop());

  it('starts anyway, with a logged warning, and says rates are not there yet', async () => {
    const client = createExpenseFlowClient(server.baseUrl);
    const { data } = await client.POST('/api/auth/register', { body: { name: 'Bo', email: 'bo@example.com', password: 'password123' } });
    const authed = createExpenseFlowClient(server.baseUrl, data!.token);
    for (let i = 0; i < 50 && !server.logs().some((l) => l.msg === 'job failed'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(server.logs().find((l) => l.msg === 'job failed')).toMatchObject({ level: 'warn', job: 'currency.refresh', trigger: 'startup' });
    const rates = await authed.GET('/api/currency/rates');
    expect(rates.response.status).toBe(503);
    const eur = await authed.POST('/api/expenses', { body: { description: 'Museum', amount: 20, currency: 'EUR', category: 'entertainment' } });
    expect(eur.data).toMatchObject({ displayAmount: 20, displayCurrency: 'EUR', conversionPending: true });
  });
});
