/**
 * The Node host's HTTP server: timeouts that close idle and trickling connections, early
 * answers that do not poison a keep-alive connection, and a stop that resets no request.
 */
import { serve, type HttpBindings } from '@hono/node-server';
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocketServer } from 'ws';
import type { Config } from '../core/config.ts';
import { setThroughContext, type HeaderList, type SetHeaders } from '../core/http/headers.ts';
import type { Logger } from '../core/logger.ts';

type Fetch = (req: Request, env: HttpBindings) => Response | Promise<Response>;

// For this long after a stop signal the server still reads and accepts: a request the client
// sent before the signal may still sit in a socket buffer or the accept queue, and closing
// those sockets would reset it. Every answer from the signal on says `Connection: close`.
const SETTLE_MS = 500;
// A busy process may take longer to read what accepted sockets hold: it waits for them up to this.
const MAX_SETTLE_MS = 3000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface NodeServer {
  server: Server;
  /** Stops accepting, lets requests in flight finish (up to SHUTDOWN_GRACE_MS), closes every connection. */
  stop(): Promise<void>;
}

/**
 * Node's response, holding the headers set before the answer is built (request ids, security
 * headers) until the answer's own head is written, then writing both in one `writeHead`, the
 * answer's winning. Node's `setHeader` for each of them, and `writeHead` merging the answer's into
 * what it set, cost a seventh of a `/health` answer's CPU: 106.5 µs a request before, 91.0 after
 * (medians of alternating runs, server pinned to one core). Also the bench's reference app
 * (bench/floor.ts).
 */
export class HeldHeadersResponse<Req extends IncomingMessage = IncomingMessage> extends ServerResponse<Req> {
  #held: (readonly [string, string])[] | undefined;

  hold(headers: HeaderList): void {
    if (this.#held === undefined) this.#held = [...headers];
    else this.#held.push(...headers);
  }

  override writeHead(status: number, reason?: string | OutgoingHttpHeaders | OutgoingHttpHeader[], headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this {
    const held = this.#held;
    this.#held = undefined;
    const [message, given] = typeof reason === 'string' ? [reason, headers] : [undefined, reason];
    if (held === undefined) return super.writeHead(status, message, given);
    // The raw array form (no caller here uses it): the held ones as Node's own, which it merges.
    if (Array.isArray(given)) {
      for (const [name, value] of held) this.setHeader(name, value);
      return super.writeHead(status, message, given);
    }
    const all: OutgoingHttpHeaders = {};
    for (const [name, value] of held) all[name.toLowerCase()] = value;
    for (const name in given) all[name.toLowerCase()] = given[name];
    return super.writeHead(status, message, all);
  }
}

/**
 * Headers set on Node's own response before the answer is built, held until its head is written
 * (HeldHeadersResponse); the answer keeps the plain header record that @hono/node-server writes
 * without converting a Fetch `Headers` (see SetHeaders).
 */
export const setOnServerResponse: SetHeaders = (c, headers) => {
  const outgoing = (c.env as HttpBindings | undefined)?.outgoing;
  if (!(outgoing instanceof HeldHeadersResponse) || outgoing.headersSent) return setThroughContext(c, headers);
  outgoing.hold(headers);
};

// How long a connection closed after an early answer still reads (and drops) what the client sends.
const LINGER_MS = 2000;

/**
 * After an early answer (413 while an upload streams in, say) Node closes the socket at once.
 * The client may still be sending, and a socket closed with bytes unread makes the kernel send a
 * reset, which can reach the client before it has read the answer: it then sees no answer at
 * all. So, as nginx's lingering close does, this socket closes its sending side after the answer
 * and keeps reading (the request's parser drops the rest) until the client closes its own side
 * or LINGER_MS pass. `destroySoon` is what Node's server calls once the last answer is written.
 */
function lingerOnClose(socket: Socket): void {
  socket.destroySoon = function lingeringClose(this: Socket) {
    this.end();
    const close = () => this.destroy();
    const timer = setTimeout(close, LINGER_MS);
    timer.unref();
    this.once('end', close);
    this.once('close', () => clearTimeout(timer));
  };
}

/** `websocket`: the upgrade server of the realtime transport (hosts/node-realtime.ts), if any. */
export function listen(fetch: Fetch, config: Config, logger: Logger, websocket?: WebSocketServer): NodeServer {
  let stopping = false;
  const server = serve(
    {
      async fetch(req, env) {
        // Only plain HTTP/1.1 is served here (no `createServer` override), so env is HttpBindings.
        const bindings = env as HttpBindings;
        const res = await fetch(req, bindings);
        // An answer given before the body was read (413, 415, 401) closes the connection: the
        // unread rest of the body would stand where the next request is parsed.
        if (stopping || !bindings.incoming.complete) bindings.outgoing.setHeader('connection', 'close');
        if (!bindings.incoming.complete) lingerOnClose(bindings.incoming.socket);
        return res;
      },
      port: config.PORT,
      ...(websocket && { websocket: { server: websocket } }),
      serverOptions: {
        ServerResponse: HeldHeadersResponse,
        headersTimeout: Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS),
        requestTimeout: config.REQUEST_TIMEOUT_MS,
        keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
        // How often the timeouts above are checked; Node's default (30 s) would let them overrun.
        connectionsCheckingInterval: 1000,
      },
    },
    (info) => logger.info('listening', { url: `http://localhost:${info.port}`, database: config.DATABASE_URL.split('?')[0] }),
  ) as Server;

  // Sockets accepted that have not begun a request yet. To Node they are idle, and close()
  // would drop them, though a request may be waiting in them unread.
  const fresh = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    fresh.add(socket);
    socket.once('close', () => fresh.delete(socket));
  });
  server.on('request', (req: IncomingMessage) => fresh.delete(req.socket));

  return {
    server,
    async stop() {
      stopping = true;
      const started = Date.now();
      const settleFor = Math.min(MAX_SETTLE_MS, config.SHUTDOWN_GRACE_MS / 2);
      await sleep(Math.min(SETTLE_MS, settleFor));
      while (fresh.size > 0 && Date.now() - started < settleFor) await sleep(20);
      // Stops listening and closes idle keep-alive connections; busy ones close after their answer.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const grace = setTimeout(() => {
        logger.warn('requests still in flight at the end of the grace period: closing them', { graceMs: config.SHUTDOWN_GRACE_MS });
        server.closeAllConnections();
      }, Math.max(0, config.SHUTDOWN_GRACE_MS - (Date.now() - started)));
      await closed;
      clearTimeout(grace);
    },
  };
}
