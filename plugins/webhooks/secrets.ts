import { decodeBase64Url, encodeBase64Url } from 'hono/utils/encode';
import type { Config } from '../../core/config.ts';

const encoder = new TextEncoder();
const b64 = (bytes: Uint8Array) => encodeBase64Url(bytes.buffer as ArrayBuffer);

/** A new signing secret: `whsec_` and 256 random bits. Shown to its owner once, at creation or rotation. */
export function newSecret(): string {
  return `whsec_${b64(crypto.getRandomValues(new Uint8Array(32))).replace(/=+$/, '')}`;
}

/**
 * The secrets are stored encrypted (AES-256-GCM) under a key derived from JWT_SECRET for this
 * one use: the server must read them back to sign, so no one-way hash will do, and a copy of
 * the database alone does not let anyone sign as us. Changing JWT_SECRET makes the stored
 * secrets unreadable: deliveries then fail (logged) until each webhook's secret is rotated.
 */
const keys = new WeakMap<Config, Promise<CryptoKey>>();
function keyOf(config: Config): Promise<CryptoKey> {
  let key = keys.get(config);
  if (!key) {
    key = (async () => {
      const root = await crypto.subtle.importKey('raw', encoder.encode(config.JWT_SECRET), 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('expenseflow webhook secrets v1') },
        root,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      );
    })();
    keys.set(config, key);
  }
  return key;
}

export async function sealSecret(config: Config, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await keyOf(config), encoder.encode(secret)));
  return `v1.${b64(iv)}.${b64(sealed)}`;
}

/** The secret, or null when it cannot be opened (JWT_SECRET changed since it was sealed). */
export async function openSecret(config: Config, stored: string): Promise<string | null> {
  const [version, iv, sealed] = stored.split('.');
  if (version !== 'v1' || !iv || !sealed) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: decodeBase64Url(iv) }, await keyOf(config), decodeBase64Url(sealed));
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

/** Hex HMAC-SHA256 of `<t>.<body>` keyed with the secret's UTF-8 bytes (the whole `whsec_…` string). */
export async function signature(secret: string, t: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${t}.${body}`)));
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The `ExpenseFlow-Signature` header: `t=<unix seconds>,v1=<hex>` and one more `v1=` per secret still valid. */
export async function signatureHeader(secrets: readonly string[], t: number, body: string): Promise<string> {
  const macs = await Promise.all(secrets.map((s) => signature(s, t, body)));
  return [`t=${t}`, ...macs.map((m) => `v1=${m}`)].join(',');
}
