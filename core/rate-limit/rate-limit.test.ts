import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createMemoryLimiter } from './memory.ts';
import { parsePolicy, type Policy } from './policies.ts';
import { allowedAt, used } from './sliding-window.ts';

const policy = (text: string): Policy => parsePolicy('expenseWrites', text)!;

describe('policies', () => {
  it('reads <max>/<window>', () => {
    expect(policy('100/15m')).toEqual({ name: 'expenseWrites', max: 100, windowMs: 900_000, window: '15m' });
    expect(policy('10/1h').windowMs).toBe(3_600_000);
    for (const bad of ['100', '0/15m', '100/15', '100/0m', '-1/1m', '5/2d', '5/500ms', '1e3/1m']) expect(parsePolicy('general', bad), bad).toBeUndefined();
  });

  it('takes them from the configuration, naming the variable of a wrong one', () => {
    const config = loadConfig({ RATE_LIMIT_EXPENSE_WRITES: '3/10s' }, () => 's');
    expect(config.RATE_LIMIT_EXPENSE_WRITES).toMatchObject({ max: 3, windowMs: 10_000 });
    expect(config.RATE_LIMIT_GENERAL).toMatchObject({ max: 1000, windowMs: 900_000 });
    expect(config.RATE_LIMIT_AUTH).toMatchObject({ max: 5, windowMs: 900_000 });
    expect(config.RATE_LIMIT_UPLOADS).toMatchObject({ max: 10, windowMs: 3_600_000 });
    expect(() => loadConfig({ RATE_LIMIT_AUTH: 'lots' }, () => 's')).toThrow(/RATE_LIMIT_AUTH/);
    expect(() => loadConfig({ RATE_LIMITS: 'maybe' }, () => 's')).toThrow(/RATE_LIMITS/);
    expect(() => loadConfig({ UPSTASH_REDIS_REST_URL: 'https://x.upstash.io' }, () => 's')).toThrow(/UPSTASH_REDIS_REST_TOKEN/);
    expect(loadConfig({ TRUST_PROXY: 'true' }, () => 's').TRUST_PROXY).toBe(1);
    expect(loadConfig({}, () => 's').TRUST_PROXY).toBe(0);
  });
});

describe('the sliding window', () => {
  const W = 60_000;
  it('counts the previous window in proportion to what the sliding window still covers', () => {
    expect(used(10, 0, 0, W)).toBe(10);
    expect(used(10, 0, W / 2, W)).toBe(5);
    expect(used(10, 3, W / 4, W)).toBe(10);
  });

  it('says when a refused key is allowed again: not a millisecond earlier', () => {
    for (const [prev, curr, now] of [
      [0, 5, 1000],
      [6, 0, 1000],
      [8, 1, 30_000],
      [5, 5, 59_999],
      [7, 3, 12_345],
    ] as const) {
      const at = allowedAt(prev, curr, 5, now, W);
      const countAt = (t: number) => (Math.floor(t / W) === Math.floor(now / W) ? used(prev, curr, t, W) : used(Math.floor(t / W) === Math.floor(now / W) + 1 ? curr : 0, 0, t, W));
      expect(at).toBeGreaterThan(now);
      expect(countAt(at), `${prev},${curr},${now}`).toBeLessThan(5);
      expect(countAt(at - 1), `${prev},${curr},${now}`).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('the in-process limiter', () => {
  it('allows exactly max requests in a window, then says when the next one is', () => {
    let now = 1_000_000 * 60_000 + 5_000; // 5 s into a window
    const limiter = createMemoryLimiter(() => now);
    const p = policy('100/15m');
    for (let i = 1; i <= 100; i++) {
      const v = limiter.hit(p, 'u1') as ReturnType<typeof limiter.hit> & { allowed: boolean; remaining: number };
      expect(v.allowed, `request ${i}`).toBe(true);
      expect(v.remaining).toBe(100 - i);
    }
    const refused = { ...(limiter.hit(p, 'u1') as object) } as { allowed: boolean; retryAfterSeconds: number; remaining: number };
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    // Another key is counted on its own.
    expect((limiter.hit(p, 'u2') as { allowed: boolean }).allowed).toBe(true);
    // Honest: a second before Retry-After it is still refused, at Retry-After it goes through.
    const start = now;
    now = start + (refused.retryAfterSeconds - 1) * 1000;
    expect((limiter.hit(p, 'u1') as { allowed: boolean }).allowed).toBe(false);
    now = start + refused.retryAfterSeconds * 1000;
    expect((limiter.hit(p, 'u1') as { allowed: boolean }).allowed).toBe(true);
  });

  it('gives back a refunded request', () => {
    const limiter = createMemoryLimiter(() => 42);
    const p = policy('2/1m');
    limiter.hit(p, 'a');
    limiter.refund(p, 'a');
    limiter.hit(p, 'a');
    expect((limiter.hit(p, 'a') as { remaining: number }).remaining).toBe(0);
    expect((limiter.hit(p, 'a') as { allowed: boolean }).allowed).toBe(false);
  });

  it('forgets keys two windows old', () => {
    let now = 0;
    const limiter = createMemoryLimiter(() => now);
    const p = policy('1/1m');
    limiter.hit(p, 'a');
    now = 120_000;
    expect((limiter.hit(p, 'a') as { allowed: boolean }).allowed).toBe(true);
  });
});
