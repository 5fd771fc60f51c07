/**
 * The bench's floor: a bare node:http server answering every request with the bytes our
 * /health answers (body and content type, given as arguments). Nothing is cheaper on this
 * machine, so every figure is stated as a share of it: a share moves much less than req/s
 * when other work on the machine speeds or slows both. With `hono` as the third argument it
 * answers the same bytes through Hono on @hono/node-server instead: what the framework alone
 * costs, a reference for how close ours can get. With `headers` (and a JSON object of them as the
 * fourth) it is the bare server again, also sending the headers ours adds to every answer
 * (request ids, security headers): what those header lines alone cost. With `app` (and the same
 * headers) it is Hono again, with a route for every operation of our OpenAPI document and a
 * middleware setting those header lines, a fresh request id among them, on Node's response as ours
 * does (held, hosts/node-server.ts): what a Hono app of our size that carries our headers costs,
 * with nothing else of ours.
 */
import { serve, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeldHeadersResponse } from '../hosts/node-server.ts';

const [contentType = 'application/json', body = '{}', kind = 'bare', extra = '{}'] = process.argv.slice(2);
const extraHeaders = JSON.parse(extra) as Record<string, string>;
const bytes = Buffer.from(body);
const announce = (server: Server) => () => console.log((server.address() as AddressInfo).port); // the parent reads it

if (kind === 'hono') {
  const app = new Hono().get('*', (c) => c.body(body, 200, { 'content-type': contentType }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  server.once('listening', announce(server));
} else if (kind === 'app') {
  const ids = /^(x-)?request-id$/i;
  const lines = Object.entries(extraHeaders).filter(([name]) => !ids.test(name));
  const document = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use(async (c, next) => {
    const id = crypto.randomUUID();
    (c.env.outgoing as HeldHeadersResponse).hold([['Request-Id', id], ['X-Request-Id', id], ...lines]);
    await next();
  });
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const method of Object.keys(operations).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))) {
      app.on(method.toUpperCase(), path.replace(/\{(\w+)\}/g, ':$1'), (c) => c.body(body, 200, { 'content-type': contentType }));
    }
  }
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', serverOptions: { ServerResponse: HeldHeadersResponse } }) as Server;
  server.once('listening', announce(server));
} else {
  const server = createServer((_req, res) => {
    res.writeHead(200, { ...(kind === 'headers' && extraHeaders), 'content-type': contentType, 'content-length': bytes.length });
    res.end(bytes);
  });
  server.listen(0, '127.0.0.1', announce(server));
}
process.once('SIGTERM', () => process.exit(0));
