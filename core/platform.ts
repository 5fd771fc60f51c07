import type { Context } from 'hono';
import type { BlobStore } from './blobs/port.ts';
import type { Config } from './config.ts';
import { setThroughContext, type SetHeaders } from './http/headers.ts';
import type { Database } from './db/client.ts';
import { createFaultMonitor, type FaultMonitor } from './db/fault-monitor.ts';
import { createChangesPort, type ChangesPort } from './changes/port.ts';
import { createAuditPort, type AuditPort } from './audit/port.ts';
import { createSecurityPort, type SecurityPort } from './security/port.ts';
import { createEventBus, type EventBus } from './events.ts';
import { createFeedPort, type FeedPort } from './feed/port.ts';
import { createIds, type Ids } from './ids.ts';
import { createJobRegistry, type DispatcherOptions, type JobRegistry } from './jobs.ts';
import type { Logger } from './logger.ts';
import type { OcrPort } from './ocr/port.ts';
import { createRateLimits, type RateLimits } from './rate-limit/index.ts';
import type { Mailer } from './mail/interface.ts';
import { logMailer } from './mail/log.ts';
import { postmarkMailer } from './mail/postmark.ts';
import type { PushSender } from './push/interface.ts';
import { webPushSender } from './push/webpush.ts';
import { createRetentionRegistry, type RetentionRegistry } from './retention.ts';
import { createRates, type RatesPort } from './rates/service.ts';
import type { Services } from './services.ts';

export type { Ids } from './ids.ts';

/**
 * The ports plugins use. Handlers read them from `c.get('platform')`, never from a module-level
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
  /** Postmark when POSTMARK_SERVER_TOKEN and MAIL_FROM are set, else the log (core/mail/). */
  mailer: Mailer;
  /** Web Push when VAPID_* are set, else null: nothing is sent (core/push/). */
  push: PushSender | null;
  /** What the `retention` job deletes (core/retention.ts); owners register at boot. */
  retention: RetentionRegistry;
  rates: RatesPort;
  /** The change log of synced entities (core/changes/port.ts): plugins record through it, never write it. */
  changes: ChangesPort;
  /** The audit log (core/audit/): written by triggers in every write's batch; sealed, read and verified here. */
  audit: AuditPort;
  /** Security events (core/security/): failed sign-ins and the lockout, refusals, sign-ins. */
  security: SecurityPort;
  /** Each user's events feed (core/feed/port.ts): plugins record into it; GET /api/events and webhooks read it. */
  feed: FeedPort;
  /**
   * The addresses a host name resolves to (node:dns on Node and Deno); absent where the runtime
   * has no DNS (Workers): callers then judge only what they can see, an IP literal.
   */
  resolveHost?: ResolveHost;
  /** What the host offers for realtime connections; absent where the host has no transport yet. */
  realtime?: RealtimeTransport;
  /** Database faults seen by requests: answered as 503s, reported by /health. */
  faults: FaultMonitor;
  /** What plugins provide to the plugins that depend on them (core/services.ts); filled at boot. */
  services: Services;
  /** The limiter and its policies; null with RATE_LIMITS=off. */
  rateLimits: RateLimits | null;
  /** The client's address as the host sees it (socket, trusted proxy, CF-Connecting-IP); undefined when unknown. */
  clientAddress(c: Context<AppEnv>): string | undefined;
  /** Sets headers on the answer being built: the host's cheapest way (core/http/headers.ts). */
  setHeaders: SetHeaders;
  /** Lets work a request started run on after its answer (see HostPorts.keepAlive). */
  keepAlive: KeepAlive;
  /** Files (receipt images): DATA_DIR on the embedded hosts, R2 on Workers; absent where the host keeps none. */
  blobs?: BlobStore;
  /** Reads text from images and PDFs; absent on Workers (readings wait for the Node OCR worker). */
  ocr?: OcrPort;
}

/** Every address (v4 and v6) `hostname` resolves to; rejects when it does not resolve. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export interface Clock {
  now(): Date;
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
  /** A cheaper way than `c.header` to set an answer's headers, where the runtime has one. */
  setHeaders?: SetHeaders;
  /**
   * Workers end an isolate's work with the response unless it is handed to waitUntil; on Node
   * and Deno a promise runs on by itself (the default does nothing).
   */
  keepAlive?: KeepAlive;
  realtime?: RealtimeTransport;
  blobs?: BlobStore;
  ocr?: OcrPort;
  /** The runtime's DNS lookup, where it has one (not on Workers). */
  resolveHost?: ResolveHost;
  /** Replaces the mailer the configuration picks. */
  mailer?: Mailer;
  /** Replaces the push sender the configuration picks (null: none). */
  push?: PushSender | null;
  /** Lease length and how often /health re-reads the job runs (core/jobs.ts); the defaults suit every host. */
  dispatcher?: DispatcherOptions;
}

/** One socket as the room logic sees it, whatever the runtime's WebSocket type. */
export interface SocketHandlers {
  onOpen(socket: RealtimeSocket): void;
  /** A text message (a binary one arrives as its UTF-8 decoding). */
  onMessage(text: string): void;
  onClose(): void;
}

export interface RealtimeSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

/**
 * The host's realtime seam, in one of two shapes the host picks (never sniffed by the plugins):
 * - `sockets`: the rooms run in this process (the sync plugin's hub); the host only turns a
 *   request into an upgraded socket (@hono/node-server on Node, hono/deno on Deno).
 * - `rooms`: the rooms run elsewhere, one per user (a Durable Object on Workers); the host
 *   hands a checked device's socket over to its user's room and publishes to that room.
 */
export type RealtimeTransport = SocketTransport | RemoteRooms;

export interface SocketTransport {
  kind: 'sockets';
  upgrade(c: Context, handlers: SocketHandlers): Response | Promise<Response>;
}

/** A device whose ticket was checked: what a remote room needs to take its socket. */
export interface RoomDevice {
  userId: string;
  deviceId: string;
  since?: number;
}

export interface RemoteRooms {
  kind: 'rooms';
  /** The upgrade answer from the user's room, which now holds the device's socket. */
  connect(c: Context, device: RoomDevice): Promise<Response>;
  /**
   * After a commit of `userId`'s changes: the room reads the log after what it last published.
   * Fire and forget (the host keeps the request alive for it); failures are logged there.
   */
  published(userId: string): void;
  /** A message outside the change log (a notification) to every device of `userId`; fire and forget. */
  broadcast(userId: string, message: unknown): void;
}

export type KeepAlive = (c: Context, work: Promise<unknown>) => void;

export const systemClock: Clock = { now: () => new Date() };

export function createPlatform(host: HostPorts): Platform {
  const clock = host.clock ?? systemClock;
  const events = createEventBus(host.logger);
  const ids = createIds();
  const keepAlive: KeepAlive = host.keepAlive ?? (() => {});
  const platform: Platform = {
    config: host.config,
    db: host.db,
    clock,
    ids,
    events,
    changes: createChangesPort(host.db, events),
    audit: createAuditPort(host.db, host.logger),
    security: createSecurityPort(host.db, clock, ids, host.logger, keepAlive, { account: host.config.LOCKOUT_ACCOUNT, address: host.config.LOCKOUT_ADDRESS }),
    feed: createFeedPort(host.db),
    ...(host.resolveHost && { resolveHost: host.resolveHost }),
    ...(host.realtime && { realtime: host.realtime }),
    ...(host.blobs && { blobs: host.blobs }),
    ...(host.ocr && { ocr: host.ocr }),
    jobs: createJobRegistry(() => platform, host.dispatcher),
    logger: host.logger,
    mailer: host.mailer ?? mailerFor(host.config, host.logger),
    push: host.push !== undefined ? host.push : pushFor(host.config, () => clock.now()),
    retention: createRetentionRegistry(),
    faults: createFaultMonitor(host.logger, () => clock.now().getTime()),
    // Filled by createApp from the plugins' `provides`; `uses` is checked at boot, so a read finds its service.
    services: {} as Services,
    // Date.now unless a test clock is given: the limiter reads the time on every request.
    rateLimits: createRateLimits(host.config, host.logger, host.clock ? () => clock.now().getTime() : undefined),
    clientAddress: host.clientAddress ?? (() => undefined),
    setHeaders: host.setHeaders ?? setThroughContext,
    keepAlive,
    rates: createRates(host.db, {
      dailyUrl: host.config.EXCHANGE_RATES_URL,
      historyUrl: host.config.EXCHANGE_RATES_HISTORY_URL,
      fetchText: host.fetchText,
      now: () => clock.now(),
    }),
  };
  return platform;
}

function pushFor(config: Config, now: () => Date): PushSender | null {
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject } = config;
  return publicKey && privateKey && subject ? webPushSender({ publicKey, privateKey, subject }, now) : null;
}

function mailerFor(config: Config, logger: Logger): Mailer {
  const { POSTMARK_SERVER_TOKEN: token, MAIL_FROM: from } = config;
  if (!token || !from) return logMailer(logger);
  return postmarkMailer({ token, from, apiUrl: config.POSTMARK_API_URL, messageStream: config.POSTMARK_MESSAGE_STREAM });
}

export interface AppEnv {
  Variables: {
    platform: Platform;
    requestId: string;
    logger: Logger;
    /** The X-Device-Id of the request (bounded; checked in core/app.ts), null without one. */
    deviceId: string | null;
  };
}

