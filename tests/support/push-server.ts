import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for a browser's push service (FCM, Mozilla autopush, …) on loopback, and for the
 * browser behind it. `subscription()` makes a browser's key pair and auth secret (node:crypto
 * ECDH, nothing of the app's); each POST to its endpoint is decrypted here with those keys, by
 * an implementation of RFC 8188 / RFC 8291 of its own (node:crypto HKDF and AES-128-GCM), and
 * its VAPID token (RFC 8292) is checked against the key it names. `next(endpoint, …)` sets the
 * answers that endpoint gives (404, 410, 429, 500, …); otherwise 201.
 */
export interface ReceivedPush {
  endpoint: string;
  /** The decrypted payload, or null when it could not be decrypted (`error` says why). */
  payload: string | null;
  error?: string;
  headers: Record<string, string | undefined>;
  vapid: { valid: boolean; key: string | null; claims: Record<string, unknown> | null };
  status: number;
}

interface Browser {
  ecdh: ECDH;
  auth: Buffer;
}

const b64u = (buf: Buffer) => buf.toString('base64url');

function decrypt(body: Buffer, browser: Browser): string {
  // RFC 8188 §2.1 header: salt(16) | rs(4) | idlen(1) | keyid(idlen), then the records.
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const senderKey = body.subarray(21, 21 + idlen);
  const records = body.subarray(21 + idlen);
  if (idlen !== 65) throw new Error(`keyid of ${idlen} bytes, not a P-256 point`);
  if (records.length > rs) throw new Error('more than one record');
  // RFC 8291 §3.3-3.4.
  const uaPublic = browser.ecdh.getPublicKey();
  const secret = browser.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, browser.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const padded = Buffer.concat([decipher.update(records.subarray(0, records.length - 16)), decipher.final()]);
  // The last record ends with 0x02 followed by zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

function checkVapid(header: string | undefined, origin: string): ReceivedPush['vapid'] {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!m) return { valid: false, key: null, claims: null };
  const [, jwt, key] = m as unknown as [string, string, string];
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) }, format: 'jwk' });
  const signed = verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  const header0 = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud?: string; exp?: number; sub?: string };
  const now = Date.now() / 1000;
  const valid =
    signed && header0.alg === 'ES256' && claims.aud === origin && typeof claims.exp === 'number' && claims.exp > now && claims.exp <= now + 24 * 3600 && /^(mailto:|https:)/.test(claims.sub ?? '');
  return { valid, key, claims };
}

export async function startPushServer() {
  const browsers = new Map<string, Browser>();
  const answers = new Map<string, { status: number; headers?: Record<string, string> }[]>();
  const received: ReceivedPush[] = [];

  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    // Control routes, for a test that runs elsewhere (inside workerd): make a browser, read what arrived, set answers.
    if (req.url?.startsWith('/control/')) {
      const url = new URL(req.url, origin);
      const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.method === 'POST' && url.pathname === '/control/subscriptions') return json(api.subscription());
      if (req.method === 'GET' && url.pathname === '/control/received') return json(api.to(url.searchParams.get('endpoint') ?? ''));
      if (req.method === 'POST' && url.pathname === '/control/answers') {
        const { endpoint, statuses } = JSON.parse(body.toString()) as { endpoint: string; statuses: number[] };
        api.next(endpoint, ...statuses);
        return json({ ok: true });
      }
      return res.writeHead(404).end();
    }
    const endpoint = `${origin}${req.url}`;
    const browser = browsers.get(endpoint);
    if (req.method !== 'POST' || !browser) return res.writeHead(404).end();
    const answer = answers.get(endpoint)?.shift() ?? { status: 201 };
    let payload: string | null = null;
    let error: string | undefined;
    try {
      payload = decrypt(body, browser);
    } catch (err) {
      error = (err as Error).message;
    }
    const headers = Object.fromEntries(['content-encoding', 'content-type', 'ttl', 'urgency', 'topic'].map((k) => [k, req.headers[k] as string | undefined]));
    received.push({ endpoint, payload, ...(error && { error }), headers, vapid: checkVapid(req.headers.authorization, origin), status: answer.status });
    res.writeHead(answer.status, { ...answer.headers, ...(answer.status === 201 && { location: `${origin}/message/${randomUUID()}` }) }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api = {
    origin,
    received,
    /** A new browser's subscription, as PushSubscription.toJSON() gives it. */
    subscription() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const endpoint = `${origin}/push/${randomUUID()}`;
      browsers.set(endpoint, { ecdh, auth });
      return { endpoint, expirationTime: null, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } };
    },
    /** The answers the endpoint gives to its next requests, in order. */
    next(endpoint: string, ...statuses: (number | { status: number; headers: Record<string, string> })[]) {
      answers.set(endpoint, [...(answers.get(endpoint) ?? []), ...statuses.map((s) => (typeof s === 'number' ? { status: s } : s))]);
    },
    to: (endpoint: string) => received.filter((r) => r.endpoint === endpoint),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}
