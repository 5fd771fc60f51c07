/**
 * `node bench/limiter.ts`: checks per second each rate-limiter adapter sustains, one policy,
 * 10,000 keys. The in-process window is measured as the middleware calls it (synchronously);
 * Upstash through @upstash/ratelimit against a local redis-server behind the REST stand-in of
 * the tests, 50 checks in flight: a floor for real Upstash, whose round trip is the network's.
 */
import { createLogger } from '../core/logger.ts';
import { createMemoryLimiter } from '../core/rate-limit/memory.ts';
import { parsePolicy } from '../core/rate-limit/policies.ts';
import { createUpstashLimiter } from '../core/rate-limit/upstash.ts';
import { startUpstashStandIn } from '../tests/support/upstash-server.ts';

const policy = parsePolicy('general', '1000000/15m')!;
const keys = Array.from({ length: 10_000 }, (_, i) => `019a6b0e-6c2f-7d3a-9b1e-${String(i).padStart(12, '0')}`);

function memory(seconds: number) {
  const limiter = createMemoryLimiter();
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  while (performance.now() < until) {
    for (let i = 0; i < 10_000; i++) limiter.hit(policy, keys[i]!);
    n += 10_000;
  }
  return { checksPerSecond: Math.round(n / seconds), heapGrowthMb: (process.memoryUsage().heapUsed - heapBefore) / 1e6 };
}

async function upstash(seconds: number, inFlight: number) {
  const standIn = await startUpstashStandIn();
  try {
    const limiter = createUpstashLimiter({ url: standIn.url, token: standIn.token, prefix: 'bench' }, createLogger('warn'));
    let n = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: inFlight }, async (_, w) => {
        for (let i = w; performance.now() < until; i += inFlight) {
          await limiter.hit(policy, keys[i % keys.length]!);
          n++;
        }
      }),
    );
    return { checksPerSecond: Math.round(n / seconds), inFlight, commands: Object.fromEntries(standIn.commands) };
  } finally {
    await standIn.close();
  }
}

memory(1); // warm-up
console.log(JSON.stringify({ adapter: 'memory', ...memory(5) }));
console.log(JSON.stringify({ adapter: 'upstash (local stand-in)', ...(await upstash(10, 50)) }));
console.log(JSON.stringify({ adapter: 'upstash (local stand-in)', ...(await upstash(5, 1)) }));
