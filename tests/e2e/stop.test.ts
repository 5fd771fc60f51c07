/**
 * A stop signal to an embedded host (`npm start`, `npm run start:deno`): every request that
 * reached it before the signal is answered, none is reset. The Worker has no stop of its own.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { httpClient } from '../support/api-client.ts';
import { openRaw } from '../support/raw-http.ts';
import { UNREACHABLE_URL } from '../support/rates-server.ts';
import { startCommand, startServer } from './server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const offline = { EXCHANGE_RATES_URL: UNREACHABLE_URL, EXCHANGE_RATES_HISTORY_URL: UNREACHABLE_URL };

// The e2e-worker project leaves this file out (vitest.config.ts).
if (startCommand) {
  describe(`${startCommand.join(' ')}, then SIGTERM`, () => {
    it('answers all 64 requests in flight, closes their connections and stops cleanly', async () => {
      const server = await startServer(offline);
      onTestFinished(() => server.stop());
      const { token } = await httpClient(server.baseUrl).register();
      const bodies = Array.from({ length: 64 }, (_, i) => JSON.stringify({ description: `in flight ${i}`, amount: 1, category: 'food' }));
      const conns = await Promise.all(bodies.map(() => openRaw(server.baseUrl)));
      // Headers and part of each body go out before the signal; the rest after it.
      await Promise.all(
        conns.map((c, i) =>
          c.write(
            `POST /api/expenses HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: ${bodies[i]!.length}\r\n\r\n${bodies[i]!.slice(0, 20)}`,
          ),
        ),
      );
      await sleep(200);
      const stopped = server.stop();
      for (let i = 0; i < 200 && !server.logs().some((l) => l.msg === 'stopping'); i++) await sleep(25);
      await Promise.all(conns.map((c, i) => c.write(bodies[i]!.slice(20))));

      const answers = await Promise.all(conns.map((c) => c.waitFor(/\r\n\r\n\{.*\}$/s)));
      expect(answers.map((a) => a.split('\r\n')[0])).toEqual(bodies.map(() => 'HTTP/1.1 201 Created'));
      expect(answers.filter((a) => !/\r\nconnection: close\r\n/i.test(a))).toEqual([]);
      expect((await Promise.all(conns.map((c) => c.closed))).filter((c) => c.reset)).toEqual([]);
      await stopped;
      expect(server.logs().map((l) => l.msg)).toContain('stopped');
      expect(server.logs().filter((l) => l.level === 'error')).toEqual([]);
    });

    it('answers every request sent before the signal while clients keep sending', async () => {
      const server = await startServer(offline);
      onTestFinished(() => server.stop());
      let stopped = false;
      let signalled = false;
      // What became of each request, by whether it was sent before the signal. After it, a
      // request may be refused (503, or a closed listener); before it, each must be answered.
      const before: string[] = [];
      const after: string[] = [];
      const loop = async () => {
        while (!stopped) {
          const outcomes = signalled ? after : before;
          try {
            const res = await fetch(`${server.baseUrl}/health`);
            await res.text();
            outcomes.push(String(res.status));
          } catch (err) {
            outcomes.push((err as { cause?: { code?: string } }).cause?.code ?? String(err));
            await sleep(20);
          }
        }
      };
      const loops = Array.from({ length: 16 }, loop);
      await sleep(500);
      signalled = true;
      await server.stop();
      stopped = true;
      await Promise.all(loops);
      expect(before.length).toBeGreaterThan(16);
      expect(before.filter((o) => o !== '200')).toEqual([]);
      expect(after.filter((o) => !['200', '503', 'ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(o))).toEqual([]);
      expect(server.logs().map((l) => l.msg)).toContain('stopped');
    });
  });
}
