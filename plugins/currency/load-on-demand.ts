import { backoff } from '../../core/backoff.ts';
import type { Context } from 'hono';
import type { AppEnv, Platform } from '../../core/platform.ts';
import { refreshRates } from './jobs.ts';

// After a failed load the next try waits this long, doubling with each failure up to the cap.
const FIRST_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 5 * 60_000;
const backoffMs = backoff(FIRST_BACKOFF_MS, MAX_BACKOFF_MS);
// What a client is told to wait while a load is under way.
const LOADING_RETRY_AFTER_S = 2;
// A Worker's waitUntil work is cancelled 30 s after the response, and a cancelled load never
// settles: one started longer ago than this is taken as lost.
const LOST_AFTER_MS = 60_000;

interface LoadState {
  /** Epoch ms when the load under way started, if one is. */
  loadingSince: number | undefined;
  failures: number;
  /** Epoch ms before which no new load starts. */
  notBefore: number;
}

// One per platform: a process on Node and Deno, an isolate on Workers.
const states = new WeakMap<Platform, LoadState>();

/**
 * A fresh deployment holds no rates until the first cron tick (up to 3 h on Workers). The
 * request that finds none calls this: it starts the refresh job in the background unless one
 * is under way or a failed one is still backing off, and returns the seconds a client should
 * wait before asking again (Retry-After).
 */
export function loadRatesInBackground<E extends AppEnv>(c: Context<E>): number {
  const platform = c.get('platform');
  let state = states.get(platform);
  if (!state) states.set(platform, (state = { loadingSince: undefined, failures: 0, notBefore: 0 }));
  const now = platform.clock.now().getTime();
  if (state.loadingSince !== undefined && now - state.loadingSince < LOST_AFTER_MS) return LOADING_RETRY_AFTER_S;
  if (now < state.notBefore) return Math.ceil((state.notBefore - now) / 1000);

  const current = state;
  const since = (current.loadingSince = now);
  const load = platform.jobs
    .run(refreshRates.name, 'demand')
    .then(
      () => {
        current.failures = 0;
        current.notBefore = 0;
      },
      () => {
        // The registry has logged the failure.
        current.notBefore = platform.clock.now().getTime() + backoffMs(current.failures + 1);
        current.failures++;
      },
    )
    .finally(() => {
      if (current.loadingSince === since) current.loadingSince = undefined;
    });
  platform.keepAlive(c, load);
  return LOADING_RETRY_AFTER_S;
}
