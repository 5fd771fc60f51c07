import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook receiver on loopback for tests whose code cannot listen itself (workerd): each
 * path `/hook/<name>?fail=<n>` refuses its first n requests with a 500, then answers 204;
 * `GET /received/<name>` lists what `<name>` got (headers and raw bodies), oldest first.
 */
export async function startWebhookReceiver() {
  const received = new Map<string, { headers: Record<string, string>; body: string; status: number }[]>();
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://receiver');
    const [, kind, name] = url.pathname.split('/');
    if (req.method === 'GET' && kind === 'received' && name) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(received.get(name) ?? []));
      return;
    }
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (kind !== 'hook' || !name) return void res.writeHead(404).end();
      const list = received.get(name) ?? [];
      const status = list.length < Number(url.searchParams.get('fail') ?? 0) ? 500 : 204;
      list.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body, status });
      received.set(name, list);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
