import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message as Postmark's batch endpoint receives it (the fields the app sends). */
export interface ReceivedMessage {
  From: string;
  To: string;
  Subject: string;
  HtmlBody: string;
  TextBody: string;
  Tag: string;
  MessageStream: string;
  Headers: { Name: string; Value: string }[];
  Metadata: Record<string, string>;
}

/**
 * Stands in for Postmark's API on loopback, for the real `postmark` client: `POST /email/batch`
 * (per-message answers as Postmark gives them: ErrorCode 0 with a MessageID, 406 for an inactive
 * recipient, 300 for an invalid address) and `GET /messages/outbound` filtered by
 * `metadata_<key>`. Recipients at `inactive.test` are inactive, at `invalid.test` invalid.
 * `next(…)` sets what the next batch call meets: an HTTP error answer, or a connection cut
 * before or after the batch was taken (an answer lost on the way back).
 */
export async function startPostmarkServer(token: string) {
  const accepted: { MessageID: string; message: ReceivedMessage }[] = [];
  const calls: { path: string; count: number }[] = [];
  const queue: Behaviour[] = [];
  type Behaviour = { status: number; body: unknown } | 'cut-before' | 'cut-after' | 'hold';
  let onHold: (() => void) | undefined;
  const held: unknown[] = [];

  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://postmark');
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers['x-postmark-server-token'] !== token) {
      return json(401, { ErrorCode: 10, Message: 'Request does not contain a valid Server token.' });
    }
    if (req.method === 'POST' && url.pathname === '/email/batch') {
      const batch = JSON.parse(await read(req)) as ReceivedMessage[];
      calls.push({ path: url.pathname, count: batch.length });
      const behaviour = queue.shift();
      if (behaviour === 'cut-before') return req.socket.destroy();
      if (behaviour && typeof behaviour === 'object') return json(behaviour.status, behaviour.body);
      if (batch.length > 500) return json(422, { ErrorCode: 410, Message: 'Too many batch messages.' });
      const answers = batch.map((message) => {
        const domain = message.To.split('@')[1];
        if (domain === 'inactive.test') {
          return { ErrorCode: 406, Message: `You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: ${message.To}.` };
        }
        if (domain === 'invalid.test') return { ErrorCode: 300, Message: `Invalid 'To' address: '${message.To}'.` };
        const MessageID = randomUUID();
        accepted.push({ MessageID, message });
        return { ErrorCode: 0, Message: 'OK', MessageID, SubmittedAt: new Date().toISOString(), To: message.To };
      });
      if (behaviour === 'cut-after') return req.socket.destroy();
      if (behaviour === 'hold') {
        // Taken, and the answer never leaves: the sender is killed meanwhile.
        held.push(res);
        return onHold?.();
      }
      return json(200, answers);
    }
    if (req.method === 'GET' && url.pathname === '/messages/outbound') {
      calls.push({ path: url.pathname, count: 0 });
      const filters = [...url.searchParams].filter(([k]) => k.startsWith('metadata_')).map(([k, v]) => [k.slice('metadata_'.length), v] as const);
      const found = accepted.filter(({ message }) => filters.every(([k, v]) => message.Metadata?.[k] === v));
      const count = Number(url.searchParams.get('count') ?? 100);
      return json(200, {
        TotalCount: found.length,
        Messages: found.slice(0, count).map(({ MessageID, message }) => ({ MessageID, To: [{ Email: message.To }], Subject: message.Subject, Metadata: message.Metadata, Status: 'Sent' })),
      });
    }
    json(404, { ErrorCode: 404, Message: 'Not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every message Postmark took, in order. */
    accepted,
    calls,
    /** What the next batch call meets (in order, one per call). */
    next(...behaviours: Behaviour[]) {
      queue.push(...behaviours);
    },
    /** Resolves when a batch met `hold`: Postmark took it and has not answered. */
    held: () => new Promise<void>((resolve) => (onHold = resolve)),
    /** How many times a message with this outbox id was taken. */
    timesSent: (outboxId: string) => accepted.filter((a) => a.message.Metadata?.outbox_id === outboxId).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
