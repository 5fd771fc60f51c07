/**
 * A body sent a byte at a time (slowloris) must not hold a request past REQUEST_TIMEOUT_MS.
 * Node enforces it in its HTTP server and closes the connection. Deno.serve has no such timeout
 * (denoland/deno#3515): the Deno host reads bodies within it itself and answers 408, but Deno
 * keeps the connection until the client stops sending, and offers no way to close it.
 * The e2e-worker project leaves this file out: Cloudflare's edge owns a Worker's connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRaw } from '../support/raw-http.ts';
import { UNREACHABLE_URL } from '../support/rates-server.ts';
import { hostName, startServer } from './server.ts';

describe(`the ${hostName} host and a body that trickles in`, () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer({ REQUEST_TIMEOUT_MS: '2000', EXCHANGE_RATES_URL: UNREACHABLE_URL, EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL });
  });
  afterAll(() => server?.stop());

  it('answers 408 before the body is done (and Node closes the connection)', async () => {
    const body = JSON.stringify({ email: 'slow@example.com', password: 'password123' }).padEnd(400, ' ');
    const c = await openRaw(server.baseUrl);
    await c.write(`POST /api/auth/login HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
    let sent = 0;
    while (!c.socket.destroyed && !c.received() && sent < body.length) {
      await c.write(body[sent++]!).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sent).toBeLessThan(body.length);
    expect(await c.waitFor(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 408/);
    if (hostName === 'node') await c.closed;
    c.socket.destroy();
  });
});
