import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sharedServer } from './server.ts';

/** One keep-alive connection at a time, as a browser or SDK reuses it. */
function send(agent: Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('a keep-alive connection after an early answer', () => {
  const server = sharedServer();

  it.each([
    ['413, body over 1 MB', 2 * 1024 * 1024, { 'content-type': 'application/json' }, 413],
    ['415, a form body', 64 * 1024, { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['401, no token', 64 * 1024, { 'content-type': 'application/json' }, 401],
  ] as const)('answers the next request after a %s', async (_, size, headers, status) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(agent, `${server.baseUrl}/api/expenses`, { method: 'POST', headers, body: Buffer.alloc(size, 'a') });
      expect(first.status).toBe(status);
      const next = await send(agent, `${server.baseUrl}/health`);
      expect(next.status).toBe(200);
      expect(JSON.parse(next.body)).toMatchObject({ status: 'ok' });
    } finally {
      agent.destroy();
    }
  });
});
