/**
 * A bench reference, not ours: a bare node:http server that stores every POSTed expense through
 * our create path (createExpense in plugins/expenses/service.ts) on our embedded database, as
 * `npm start` opens it (WAL, synchronous=FULL, group commit), with none of the HTTP stack: no
 * Hono, no middleware, no token, no validation. What storing a create alone allows on this
 * machine, hence the ceiling for POST /api/expenses. It writes what ours writes, and seals the
 * audit rows into their chain after each answer as ours does (core/app.ts), but for the two
 * statements that name the request for the audit triggers (core/audit/context.ts): it has no request.
 * Argument: the database file.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../core/app.ts';
import { createLogger } from '../core/logger.ts';
import { createPlatform } from '../core/platform.ts';
import { readDocsScript } from '../hosts/docs-script-file.ts';
import { loadEmbeddedConfig, openEmbeddedDatabase, readText } from '../hosts/embedded.ts';
import { createExpense } from '../plugins/expenses/service.ts';
import { plugins } from '../plugins/index.ts';

const [file] = process.argv.slice(2);
const config = loadEmbeddedConfig({ ...process.env, DATABASE_URL: `file:${file}`, NODE_ENV: 'development', LOG_LEVEL: 'warn', RATE_LIMITS: 'off' });
const { db } = await openEmbeddedDatabase(config);
const platform = createPlatform({ config, db, logger: createLogger(config.LOG_LEVEL, (line) => process.stderr.write(line)), fetchText: readText });
// Built for what it registers on the platform (the plugins' services and event listeners), and
// once for the user the writes belong to.
const app = createApp(platform, plugins, { docsScript: readDocsScript });
const registered = await app.request('/api/auth/register', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'Storage', email: 'storage@example.com', password: 'bench-password-1' }),
});
const { user } = (await registered.json()) as { user: { id: string } };
const owner = { id: user.id, currency: 'USD' }; // a new account's display currency

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    createExpense(platform, owner, { type: 'expense', ...JSON.parse(Buffer.concat(chunks).toString()) }).then(
      (expense) => {
        const body = JSON.stringify(expense);
        res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
        void platform.audit.sealSoon();
      },
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
});
server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port)); // the parent reads it
process.once('SIGTERM', () => process.exit(0));
