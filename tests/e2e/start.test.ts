import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExpenseFlowClient } from '../../openapi/client.ts';
import { startRatesServer, UNREACHABLE_URL } from '../support/rates-server.ts';
import { hostName, startCommand, startServer } from './server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Servers start in beforeAll, not while collecting, so a run filtered with -t starts none it skips.
type Server = Awaited<ReturnType<typeof startServer>>;

describe(`a fresh ${hostName} host, then a new user`, () => {
  let rates: Awaited<ReturnType<typeof startRatesServer>>;
  let server: Server;
  let anonymous: ReturnType<typeof createExpenseFlowClient>;
  beforeAll(async () => {
    rates = await startRatesServer();
    server = await startServer({ EXCHANGE_RATES_URL: rates.dailyUrl, EXCHANGE_RATES_HISTORY_URL: rates.historyUrl });
    anonymous = createExpenseFlowClient(server.baseUrl);
  });
  afterAll(async () => {
    await server?.stop();
    await rates?.close();
  });

  it('creates and migrates the database and reports health', async () => {
    const { data, response } = await anonymous.GET('/health');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('answers with the security headers and a request id, each once, whatever the answer', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const [path, status] of [
      ['/health', 200],
      ['/api/no-such-route', 404],
      ['/api/budgets', 401],
    ] as const) {
      const res = await fetch(server.baseUrl + path);
      expect([path, res.status]).toEqual([path, status]);
      const headers = Object.fromEntries(res.headers);
      expect(headers, path).toMatchObject({
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'strict-transport-security': expect.stringMatching(/^max-age=\d+/),
        'request-id': expect.stringMatching(uuid),
        'x-request-id': expect.stringMatching(uuid),
      });
      expect(headers['x-request-id'], path).toBe(headers['request-id']);
      if (status !== 200) expect(((await res.json()) as { requestId: string }).requestId).toBe(headers['request-id']);
    }
    const given = await fetch(`${server.baseUrl}/api/no-such-route`, { headers: { 'x-request-id': 'client-chosen_id-1' } });
    expect(given.headers.get('x-request-id')).toBe('client-chosen_id-1');
    expect(given.headers.get('request-id')).toBe('client-chosen_id-1');
    const named = await fetch(`${server.baseUrl}/api/no-such-route`, { headers: { 'request-id': 'client-chosen_id-2' } });
    expect([named.headers.get('request-id'), named.headers.get('x-request-id')]).toEqual(['client-chosen_id-2', 'client-chosen_id-2']);
    expect(((await named.json()) as { requestId: string }).requestId).toBe('client-chosen_id-2');
    expect(given.headers.get('vary')).toBe('Origin');
    const refused = await fetch(`${server.baseUrl}/health`, { headers: { 'x-request-id': 'not an id; 2' } });
    expect(refused.headers.get('x-request-id')).toMatch(uuid);
  });

  let client: ReturnType<typeof createExpenseFlowClient>;
  let token: string;

  it('registers and logs in', async () => {
    const registered = await anonymous.POST('/api/auth/register', { body: { name: 'Ada', email: 'ada@example.com', password: 'correct horse' } });
    expect(registered.response.status).toBe(201);
    const login = await anonymous.POST('/api/auth/login', { body: { email: 'ada@example.com', password: 'correct horse' } });
    // A login answers a token, or a challenge when two-factor sign-in is on (not here).
    if (!login.data || !('token' in login.data)) throw new Error(`no token: ${JSON.stringify(login.data)}`);
    expect(login.data.user).toEqual(registered.data?.user);
    token = login.data.token;
    client = createExpenseFlowClient(server.baseUrl, token);
  });

  it('has exchange rates within seconds, with no cron tick', async () => {
    // Loaded in the background: at start on Node and Deno, by the first request on the Worker.
    let res = await client.GET('/api/currency/rates', { params: { query: { base: 'EUR', symbols: 'USD' } } });
    for (let i = 0; i < 300 && res.response.status !== 200; i++) {
      expect(res.response.status).toBe(503);
      await sleep(100);
      res = await client.GET('/api/currency/rates', { params: { query: { base: 'EUR', symbols: 'USD' } } });
    }
    expect(res.data).toEqual({ base: 'EUR', date: '2025-05-09', rates: { USD: 1.1252 }, lastUpdated: expect.any(String) });
  });

  it('adds expenses in two currencies and lists them converted', async () => {
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

    // A page at a time: the Link header leads to the next one.
    const first = await client.GET('/api/expenses', { params: { query: { limit: 1 } } });
    expect(first.data!.map((e) => e.description)).toEqual(['Museum']);
    const next = /<([^>]+)>;\s*rel="next"/.exec(first.response.headers.get('link') ?? '')?.[1];
    expect(next).toBeTruthy();
    const second = await fetch(new URL(next!, server.baseUrl), { headers: { authorization: `Bearer ${token}` } });
    expect(((await second.json()) as { description: string }[]).map((e) => e.description)).toEqual(['Groceries']);
  });

  it('logs JSON lines with a request id', async () => {
    // Lines are written in batches, once per turn of the server's event loop: wait for this one.
    const request = () => server.logs().find((l) => l.msg === 'request' && l.method === 'GET' && l.path === '/api/expenses');
    await expect.poll(request).toMatchObject({ level: 'info', method: 'GET', status: 200, requestId: expect.any(String) });
  });
});

// Node and Deno only: the Worker has no start of its own to refuse (wrangler starts it, and a
// wrong setting shows at its first request). Not defined rather than skipped on the Worker.
if (startCommand) {
  describe(`${startCommand.join(' ')} with a wrong setting`, () => {
    it('stops with a message naming the variable', () => {
      const [command, ...args] = startCommand!;
      const run = spawnSync(command!, args, {
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
}

describe(`a fresh ${hostName} host with the rate source offline`, () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer({ EXCHANGE_RATES_URL: UNREACHABLE_URL, EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL });
  });
  afterAll(() => server?.stop());

  it('starts anyway, with a logged warning, and says rates are not there yet', async () => {
    const client = createExpenseFlowClient(server.baseUrl);
    const { data } = await client.POST('/api/auth/register', { body: { name: 'Bo', email: 'bo@example.com', password: 'password123' } });
    const authed = createExpenseFlowClient(server.baseUrl, data!.token);
    const rates = await authed.GET('/api/currency/rates');
    expect(rates.response.status).toBe(503);
    expect(Number(rates.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // The load at start (Node, Deno) or the one the request above started (Worker) fails.
    const failed = () => server.logs().find((l) => l.msg === 'job failed');
    for (let i = 0; i < 300 && !failed(); i++) await sleep(100);
    expect(failed()).toMatchObject({ level: 'warn', job: 'currency.refresh', error: expect.any(String) });
    expect(failed()).not.toHaveProperty('stack');
    const eur = await authed.POST('/api/expenses', { body: { description: 'Museum', amount: 20, currency: 'EUR', category: 'entertainment' } });
    expect(eur.data).toMatchObject({ displayAmount: 20, displayCurrency: 'EUR', conversionPending: true });
  });
});
