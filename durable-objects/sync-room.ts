/**
 * The realtime room of one user on Workers (`idFromName(userId)`): the sync plugin's LiveRoom
 * (plugins/sync/live-room.ts, the same rules as the in-process hub) behind hibernatable
 * WebSockets. Each socket's attachment holds its user, device and the last seq it was given,
 * so a room that hibernates is rebuilt from its sockets when the next event wakes it.
 *
 * The Worker (hosts/worker-realtime.ts) checks the ticket, then forwards the upgrade here; after
 * each commit it calls `published` (RPC, in waitUntil), and the room reads the change log.
 */
import { DurableObject } from 'cloudflare:workers';
import { createChangesPort } from '../core/changes/port.ts';
import { createRemoteDatabase } from '../core/db/remote.ts';
import { createEventBus } from '../core/events.ts';
import { createLogger, errorFields, type Logger, type LogLevel } from '../core/logger.ts';
import { readClientMessage, tooManyDevices } from '../plugins/sync/connection.ts';
import { LiveRoom, MAX_DEVICES_PER_USER } from '../plugins/sync/live-room.ts';
import type { Member } from '../plugins/sync/room.ts';
import type { ServerMessage } from '../plugins/sync/schemas.ts';

export interface SyncRoomEnv {
  DATABASE_URL: string;
  DATABASE_AUTH_TOKEN?: string;
  LOG_LEVEL?: string;
}

/** What each socket keeps across hibernation (small: it is serialized at every move). */
interface Attachment {
  userId: string;
  deviceId: string;
  /** The last seq this device holds. */
  lastSent: number;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'];
const POLICY_VIOLATION = 1008;

export class SyncRoom extends DurableObject<SyncRoomEnv> {
  readonly #logger: Logger;
  readonly #members = new Map<WebSocket, Member>();
  #live: LiveRoom | null = null;
  #changes: ReturnType<typeof createChangesPort> | null = null;

  constructor(ctx: DurableObjectState, env: SyncRoomEnv) {
    super(ctx, env);
    const level = LOG_LEVELS.includes(env.LOG_LEVEL ?? '') ? (env.LOG_LEVEL as LogLevel) : 'info';
    this.#logger = createLogger(level).child({ component: 'sync-room' });
    // Woken from hibernation with sockets attached: rebuild the room from their attachments.
    // Publishing resumes after the lowest seq a device holds; each device skips what it has.
    const sockets = ctx.getWebSockets().flatMap((ws) => {
      const att = ws.deserializeAttachment() as Attachment | null;
      return att ? [{ ws, att }] : [];
    });
    if (sockets.length > 0) {
      const live = this.#room(sockets[0]!.att.userId, Math.min(...sockets.map((s) => s.att.lastSent)));
      for (const { ws, att } of sockets) live.restore(this.#member(ws, att), att.lastSent);
    }
  }

  /** The forwarded upgrade of a device whose ticket the Worker has checked. */
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const userId = url.searchParams.get('userId');
    const deviceId = url.searchParams.get('deviceId');
    const sinceText = url.searchParams.get('since');
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket' || !userId || !deviceId) {
      return new Response('expected a WebSocket upgrade for a user and device', { status: 400 });
    }
    const since = sinceText === null ? undefined : Number(sinceText);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    if (this.ctx.getWebSockets().length > MAX_DEVICES_PER_USER) {
      server.send(JSON.stringify(tooManyDevices));
      server.close(POLICY_VIOLATION, 'too many devices');
      return new Response(null, { status: 101, webSocket: client });
    }
    const att: Attachment = { userId, deviceId, lastSent: 0 };
    server.serializeAttachment(att);
    const member = this.#member(server, att);
    const live = this.#room(userId);
    // Not awaited: the 101 goes out now; the catch-up follows on the open socket.
    this.ctx.waitUntil(live.join(member, since).catch((err) => this.#fail(server, err)));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** RPC from the Worker after a commit of this user's changes. */
  async published(userId: string): Promise<void> {
    if (this.#members.size === 0) return;
    await this.#room(userId).notify();
  }

  /** RPC from the Worker: a message outside the change log (a notification) to every device. */
  async broadcast(_userId: string, message: ServerMessage): Promise<void> {
    this.#live?.broadcast(message);
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer) {
    const member = this.#members.get(ws);
    const send = (message: ServerMessage) => this.#send(ws, message);
    const read = readClientMessage(typeof data === 'string' ? data : new TextDecoder().decode(data));
    if ('error' in read) send(read.error);
    else if (read.message.type === 'ping') send({ type: 'pong' });
    else if (member && this.#live) await this.#live.catchUp(member, read.message.since).catch((err) => this.#fail(ws, err));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string) {
    this.#drop(ws);
    // Answer the close (a code the client may not send back, 1005/1006, becomes a plain 1000).
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      /* already closed */
    }
  }

  override async webSocketError(ws: WebSocket) {
    this.#drop(ws);
  }

  #room(userId: string, cursor?: number): LiveRoom {
    if (!this.#live) {
      this.#changes ??= createChangesPort(createRemoteDatabase(this.env.DATABASE_URL, this.env.DATABASE_AUTH_TOKEN).db, createEventBus(this.#logger));
      this.#live = new LiveRoom(userId, this.#changes, this.#logger, cursor);
    }
    return this.#live;
  }

  #member(ws: WebSocket, att: Attachment): Member {
    const member: Member = {
      deviceId: att.deviceId,
      send: (message) => this.#send(ws, message),
      advanced: (lastSent) => {
        att.lastSent = lastSent;
        try {
          ws.serializeAttachment(att);
        } catch {
          /* closed meanwhile: nothing left to rebuild */
        }
      },
    };
    this.#members.set(ws, member);
    return member;
  }

  /** A socket whose send throws is dropped from the room. */
  #send(ws: WebSocket, message: ServerMessage) {
    try {
      ws.send(JSON.stringify(message));
    } catch {
      this.#drop(ws);
    }
  }

  #drop(ws: WebSocket) {
    const member = this.#members.get(ws);
    if (!member) return;
    this.#members.delete(ws);
    this.#live?.leave(member);
    // Empty: the next device starts from the log's end again, not from a cursor left behind.
    if (this.#live?.idle) this.#live = null;
  }

  #fail(ws: WebSocket, err: unknown) {
    this.#logger.error('sync socket failed', errorFields(err));
    this.#send(ws, { type: 'error', code: 'INTERNAL', message: 'Internal error' });
  }
}
