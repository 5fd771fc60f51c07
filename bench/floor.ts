/**
 * The bench's floor: a bare node:http server answering every request with the bytes our
 * /health answers (body and content type, given as arguments). Nothing is cheaper on this
 * machine, so every figure is stated as a share of it: a share moves much less than req/s
 * when other work on the machine speeds or slows both.
 */
import { createServer } from 'node:http';

const [contentType = 'application/json', body = '{}'] = process.argv.slice(2);
const bytes = Buffer.from(body);
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
  res.end(bytes);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(port); // the parent reads the port from this first line
});
process.once('SIGTERM', () => process.exit(0));
