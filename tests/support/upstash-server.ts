/**
 * A real `redis-server` (Debian package) on a free loopback port, behind a small HTTP server
 * speaking the Upstash REST protocol, for the Upstash rate-limit adapter: POST a JSON command
 * array to `/`, an array of them to `/pipeline` or `/multi-exec`, with a bearer token; the
 * answer is `{ result }` or `{ error }` (one per command for the last two), strings base64
 * encoded under `Upstash-Encoding: base64` ("OK" excepted). @upstash/ratelimit's scripts begin
 * with `#!lua flags=allow-key-locking`, an Upstash flag stock Redis refuses: the stand-in
 * strips it and maps the client's script SHA to the stripped script's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { freePort } from './net.ts';

type Reply = string | number | null | Reply[] | { error: string };

/** A minimal RESP2 client: commands are answered in order on one connection. */
class RedisConnection {
  private buffer = Buffer.alloc(0);
  private waiting: ((reply: Reply) => void)[] = [];
  private socket: Socket;
  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const parsed = parse(this.buffer, 0);
        if (!parsed) break;
        this.buffer = this.buffer.subarray(parsed.end);
        this.waiting.shift()!(parsed.value);
      }
    });
  }
  send(args: (string | number)[]): Promise<Reply> {
    const parts = args.map((a) => Buffer.from(String(a)));
    this.socket.write(Buffer.concat([Buffer.from(`*${parts.length}\r\n`), ...parts.flatMap((p) => [Buffer.from(`$${p.length}\r\n`), p, Buffer.from('\r\n')])]));
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

function parse(buf: Buffer, at: number): { value: Reply; end: number } | null {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return null;
  const line = buf.toString('utf8', at + 1, eol);
  switch (String.fromCharCode(buf[at]!)) {
    case '+':
      return { value: line, end: eol + 2 };
    case '-':
      return { value: { error: line }, end: eol + 2 };
    case ':':
      return { value: Number(line), end: eol + 2 };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, end: eol + 2 };
      if (buf.length < eol + 2 + n + 2) return null;
      return { value: buf.toString('utf8', eol + 2, eol + 2 + n), end: eol + 2 + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, end: eol + 2 };
      const items: Reply[] = [];
      let end = eol + 2;
      for (let i = 0; i < n; i++) {
        const item = parse(buf, end);
        if (!item) return null;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`unexpected RESP type ${buf[at]}`);
  }
}

const isError = (r: Reply): r is { error: string } => typeof r === 'object' && r !== null && !Array.isArray(r);

const encode = (r: Reply, base64: boolean): unknown => {
  if (Array.isArray(r)) return r.map((x) => encode(x, base64));
  if (typeof r === 'string' && base64 && r !== 'OK') return Buffer.from(r).toString('base64');
  return r;
};

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const FLAGS = /^#!lua flags=[^\n]*\n/;

async function startRedis(): Promise<{ port: number; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-4000)));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up) return { port, child, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`redis-server did not start (is the Debian package installed? apt-get install -y redis-server)\n${output}`);
}

export interface UpstashStandIn {
  url: string;
  token: string;
  /** Commands received, by name (EVALSHA, EVAL, MGET, …). */
  commands: Map<string, number>;
  close(): Promise<void>;
}

export async function startUpstashStandIn(): Promise<UpstashStandIn> {
  const redis = await startRedis();
  const socket = connect(redis.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.setNoDelay(true);
  const conn = new RedisConnection(socket);
  const token = randomBytes(16).toString('hex');
  const commands = new Map<string, number>();
  // The client's SHA (of the script with its flag line) → the SHA Redis knows it by.
  const shas = new Map<string, string>();

  const run = async (command: (string | number)[]): Promise<Reply> => {
    const name = String(command[0]).toUpperCase();
    commands.set(name, (commands.get(name) ?? 0) + 1);
    if (name === 'EVAL' || name === 'SCRIPT') {
      const script = String(command[name === 'EVAL' ? 1 : 2] ?? '');
      if (name === 'SCRIPT' && String(command[1]).toUpperCase() !== 'LOAD') return conn.send(command);
      const stripped = script.replace(FLAGS, '');
      shas.set(sha1(script), sha1(stripped));
      if (name === 'SCRIPT') {
        await conn.send(['SCRIPT', 'LOAD', stripped]);
        return sha1(script);
      }
      return conn.send(['EVAL', stripped, ...command.slice(2)]);
    }
    if (name === 'EVALSHA') {
      const sha = shas.get(String(command[1]));
      if (!sha) return { error: 'NOSCRIPT No matching script. Please use EVAL.' };
      return conn.send(['EVALSHA', sha, ...command.slice(2)]);
    }
    return conn.send(command);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method !== 'POST' || req.headers.authorization !== `Bearer ${token}`) return reply(401, { error: 'Unauthorized' });
      const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(400, { error: 'ERR invalid JSON' });
      }
      const path = (req.url ?? '/').split('?')[0];
      const one = (r: Reply) => (isError(r) ? { error: r.error } : { result: encode(r, base64) });
      if (path === '/pipeline' || path === '/multi-exec') {
        const list = body as (string | number)[][];
        if (path === '/multi-exec') await conn.send(['MULTI']);
        const replies = path === '/multi-exec' ? await Promise.all(list.map((c) => conn.send(c))) : await Promise.all(list.map(run));
        if (path === '/multi-exec') {
          const exec = await conn.send(['EXEC']);
          return reply(200, (Array.isArray(exec) ? exec : replies).map(one));
        }
        return reply(200, replies.map(one));
      }
      const r = await run(body as (string | number)[]);
      return isError(r) ? reply(400, { error: r.error }) : reply(200, one(r));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    commands,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      socket.destroy();
      await redis.stop();
    },
  };
}
