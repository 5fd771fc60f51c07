import { SignJWT } from 'jose';
import type { PushMessage, PushOutcome, PushSender, PushTarget } from './interface.ts';
import { MAX_PUSH_PAYLOAD } from './interface.ts';

/**
 * Web Push on WebCrypto and fetch: the payload encrypted per RFC 8291 (aes128gcm content
 * coding of RFC 8188, one record), the request signed per RFC 8292 (VAPID, ES256 JWT).
 * Nothing here is runtime-specific: Node, Deno and Workers all send.
 */
export interface VapidConfig {
  /** Uncompressed P-256 point, base64url (65 bytes). */
  publicKey: string;
  /** The private scalar, base64url (32 bytes). */
  privateKey: string;
  /** `mailto:` or `https:`: whom the push service contacts about this sender. */
  subject: string;
  /** How long a request may take (default 10 s). */
  timeoutMs?: number;
}

const encoder = new TextEncoder();
const RECORD_SIZE = 4096;
const JWT_LIFETIME_S = 12 * 3600;

export const toBase64url = (bytes: Uint8Array) => {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
export const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')), (c) => c.charCodeAt(0));

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

async function hmac(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data as BufferSource));
}

/** HKDF with one block of output (all RFC 8291 needs): extract, then expand to `length` bytes. */
async function hkdf(salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, length: number) {
  const prk = await hmac(salt, ikm);
  return (await hmac(prk, concat(info, new Uint8Array([1])))).slice(0, length);
}

/** The request body for one subscription: salt, record size, the sender's key, the ciphertext. */
export async function encryptPayload(target: Pick<PushTarget, 'p256dh' | 'auth'>, payload: Uint8Array): Promise<Uint8Array> {
  const uaPublic = fromBase64url(target.p256dh);
  const authSecret = fromBase64url(target.auth);
  if (uaPublic.length !== 65 || uaPublic[0] !== 4) throw new Error('p256dh is not an uncompressed P-256 point');
  if (authSecret.length < 16) throw new Error('auth is shorter than 16 bytes');
  const ua = await crypto.subtle.importKey('raw', uaPublic as BufferSource, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const local = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
  const asPublic = new Uint8Array((await crypto.subtle.exportKey('raw', local.publicKey)) as ArrayBuffer);
  // The standard member is `public`; the Workers type declarations spell it `$public`.
  const ecdh = { name: 'ECDH', public: ua } as unknown as Parameters<typeof crypto.subtle.deriveBits>[0];
  const ecdhSecret = new Uint8Array(await crypto.subtle.deriveBits(ecdh, local.privateKey, 256));

  // RFC 8291 §3.4: the input keying material binds both public keys and the auth secret.
  const keyInfo = concat(encoder.encode('WebPush: info\0'), uaPublic, asPublic);
  const ikm = await hkdf(authSecret, ecdhSecret, keyInfo, 32);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const cek = await hkdf(salt, ikm, encoder.encode('Content-Encoding: aes128gcm\0'), 16);
  const nonce = await hkdf(salt, ikm, encoder.encode('Content-Encoding: nonce\0'), 12);

  // One record, so it is the last: the delimiter 0x02, no padding.
  const plaintext = concat(payload, new Uint8Array([2]));
  const key = await crypto.subtle.importKey('raw', cek as BufferSource, 'AES-GCM', false, ['encrypt']);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce as BufferSource }, key, plaintext as BufferSource));
  const header = new Uint8Array(21);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, RECORD_SIZE);
  header[20] = asPublic.length;
  return concat(header, asPublic, ciphertext);
}

/** The VAPID signing key from the configured pair (a JWK built from the raw point and scalar). */
async function signingKey(vapid: VapidConfig): Promise<CryptoKey> {
  const point = fromBase64url(vapid.publicKey);
  if (point.length !== 65 || point[0] !== 4) throw new Error('VAPID_PUBLIC_KEY is not an uncompressed P-256 point');
  const jwk = { kty: 'EC', crv: 'P-256', x: toBase64url(point.slice(1, 33)), y: toBase64url(point.slice(33)), d: vapid.privateKey, ext: false };
  return crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
}

const seconds = (header: string | null) => {
  const n = header === null ? NaN : Number(header);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, 86_400) * 1000 : undefined;
};

export function webPushSender(vapid: VapidConfig, now: () => Date = () => new Date()): PushSender {
  let key: Promise<CryptoKey> | undefined;
  // A JWT per push service origin, reused until an hour before it expires (push services rate
  // signatures, and signing each message would cost an ECDSA signature per send).
  const tokens = new Map<string, { jwt: string; until: number }>();

  const authorization = async (endpoint: string) => {
    const audience = new URL(endpoint).origin;
    const t = now().getTime();
    const cached = tokens.get(audience);
    if (cached && cached.until > t) return cached.jwt;
    key ??= signingKey(vapid);
    const exp = Math.floor(t / 1000) + JWT_LIFETIME_S;
    const jwt = await new SignJWT({ aud: audience, sub: vapid.subject }).setProtectedHeader({ typ: 'JWT', alg: 'ES256' }).setExpirationTime(exp).sign(await key);
    tokens.set(audience, { jwt, until: t + (JWT_LIFETIME_S - 3600) * 1000 });
    return jwt;
  };

  return {
    publicKey: vapid.publicKey,
    async send(target: PushTarget, message: PushMessage): Promise<PushOutcome> {
      const payload = encoder.encode(message.payload);
      if (payload.length > MAX_PUSH_PAYLOAD) return { status: 'rejected', error: `payload of ${payload.length} bytes is over ${MAX_PUSH_PAYLOAD}` };
      let body: Uint8Array;
      try {
        body = await encryptPayload(target, payload);
      } catch (err) {
        return { status: 'rejected', error: `cannot encrypt for this subscription: ${(err as Error).message}` };
      }
      const headers: Record<string, string> = {
        authorization: `vapid t=${await authorization(target.endpoint)}, k=${vapid.publicKey}`,
        'content-encoding': 'aes128gcm',
        'content-type': 'application/octet-stream',
        ttl: String(message.ttl),
        urgency: message.urgency ?? 'normal',
      };
      if (message.topic) headers.topic = message.topic;
      let res: Response;
      try {
        res = await fetch(target.endpoint, { method: 'POST', headers, body: body as BufferSource, signal: AbortSignal.timeout(vapid.timeoutMs ?? 10_000), redirect: 'manual' });
      } catch (err) {
        return { status: 'retry', error: `no answer from the push service: ${(err as Error).message}` };
      }
      const text = (await res.text().catch(() => '')).slice(0, 200);
      const error = `push service answered ${res.status}${text ? `: ${text}` : ''}`;
      if (res.status >= 200 && res.status < 300) return { status: 'sent' };
      if (res.status === 404 || res.status === 410) return { status: 'gone', error };
      if (res.status === 429 || res.status >= 500) {
        const retryAfterMs = seconds(res.headers.get('retry-after'));
        return retryAfterMs === undefined ? { status: 'retry', error } : { status: 'retry', error, retryAfterMs };
      }
      return { status: 'rejected', error };
    },
  };
}

/** A fresh VAPID key pair (`npm run vapid`). */
export async function generateVapidKeys(): Promise<{ publicKey: string; privateKey: string }> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = toBase64url(new Uint8Array((await crypto.subtle.exportKey('raw', pair.publicKey)) as ArrayBuffer));
  const { d } = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey;
  return { publicKey, privateKey: d! };
}
