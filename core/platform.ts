import type { Context } from 'hono';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { createFaultMonitor, type FaultMonitor } from './db/fault-monitor.ts';
import { createEventBus, type EventBus } from './events.ts';
import { createJobRegistry, type JobRegistry } from './jobs.ts';
import type { Logger } from './logger.ts';
import { createRateLimits, type RateLimits } from './rate-limit/index.ts';
import { createRates, type RatesPort } from './rates/service.ts';
import type { Services } from './services.ts';

/**
 * The ports plugins use. Handlers read them from `c.var.platform`, never from a module-level
 * singleton: on Workers the bindings arrive with the request.
 */
export interface Platform {
  config: Config;
  db: Database;
  clock: Clock;
  ids: Ids;
  events: EventBus;
  jobs: JobRegistry;
  logger: Logger;
  rates: RatesPort;
  /** Database faults seen by requests: answered as 503s, reported by /health. */
  faults: FaultMonitor;
  /** What plugins provide to the plugins that depend on them (core/services.ts); filled at boot. */
  services: Services;
  /** The limiter and its policies; null with RATE_LIMITS=off. */
  rateLimits: RateLimits | null;
  /** The client's address as the host sees it (socket, trusted proxy, CF-Connecting-IP); undefined when unknown. */
  clientAddress(c: Context<AppEnv>): string | undefined;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** Time-ordered (UUIDv7) and URL-safe: sorting by id sorts by creation. */
  next(): string;
}

/** What a host hands in: everything that differs between Node and Workers. */
export interface HostPorts {
  config: Config;
  db: Database;
  logger: Logger;
  /** Reads a rate source: http(s) everywhere, file: on Node only. */
  fetchText(url: string): Promise<string>;
  clock?: Clock;
  /** Only the host knows where a request came from; without this every client is one unknown. */
  clientAddress?: (c: Context<AppEnv>) => string | undefined;
}

export const systemClock: Clock = { now: () => new Date() };

export function createPlatform(host: HostPorts): Platform {
  const clock = host.clock ?? systemClock;
  const platform: Platform = {
    config: host.config,
    db: host.db,
    clock,
    ids: { next: () => uuidv7() },
    events: createEventBus(host.logger),
    jobs: createJobRegistry(() => platform),
    logger: host.logger,
    faults: createFaultMonitor(host.logger, () => clock.now().getTime()),
    // Filled by createApp from the plugins' `provides`; `uses` is checked at boot, so a read finds its service.
    services: {} as Services,
    // Date.now unless a test clock is given: the limiter reads the time on every request.
    rateLimits: createRateLimits(host.config, host.logger, host.clock ? () => clock.now().getTime() : undefined),
    clientAddress: host.clientAddress ?? (() => undefined),
    rates: createRates(host.db, {
      dailyUrl: host.config.EXCHANGE_RATES_URL,
      historyUrl: host.config.EXCHANGE_RATES_HISTORY_URL,
      fetchText: host.fetchText,
      now: () => clock.now(),
    }),
  };
  return platform;
}

export interface AppEnv {
  Variables: {
    platform: Platform;
    requestId: string;
    logger: Logger;
  };
}

