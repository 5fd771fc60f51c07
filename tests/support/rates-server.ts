import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../fixtures/ecb/', import.meta.url));

/**
 * Stands in for the ECB: serves the real reference-rate files (tests/fixtures/ecb, copied
 * from shared/data/ecb) over HTTP on loopback. `hits` counts requests per path.
 */
export async function startRatesServer() {
  const hits = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const name = (req.url ?? '/').slice(1);
    hits.set(name, (hits.get(name) ?? 0) + 1);
    if (!/^eurofxref-(daily|hist-90d)\.xml$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml' }).end(await readFile(fixtures + name));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    dailyUrl: `${baseUrl}/eurofxref-daily.xml`,
    historyUrl: `${baseUrl}/eurofxref-hist-90d.xml`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An address nothing listens on (port 2, which fetch does not block): an offline rate source. */
export const UNREACHABLE_URL = 'http://127.0.0.1:2/eurofxref-daily.xml';
