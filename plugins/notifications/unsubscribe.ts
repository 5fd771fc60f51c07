import type { Config } from '../../core/config.ts';
import { NOTIFICATION_TYPES, type NotificationType } from './tables.ts';

/**
 * The unsubscribe link's token: `<userId>.<type>.<HMAC-SHA256>` (base64url), signed with a key
 * derived from JWT_SECRET for this one use, so it can never pass for a login token nor be made
 * for another user or type. It does not expire: an old email's link keeps working, and all it
 * can do is turn one email type off.
 */
const encoder = new TextEncoder();
const keys = new WeakMap<Config, Promise<CryptoKey>>();

function keyFor(config: Config): Promise<CryptoKey> {
  let key = keys.get(config);
  if (!key) {
    key = (async () => {
      const root = await crypto.subtle.importKey('raw', encoder.encode(config.JWT_SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const derived = await crypto.subtle.sign('HMAC', root, encoder.encode('expenseflow unsubscribe token v1'));
      return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    })();
    keys.set(config, key);
  }
  return key;
}

const base64url = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromBase64url = (text: string) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

export const UNSUBSCRIBE_CODE = /^[A-Za-z0-9-]{1,64}\.[a-z_]{1,40}\.[A-Za-z0-9_-]{43}$/;

export async function unsubscribeCode(config: Config, userId: string, type: NotificationType): Promise<string> {
  const signature = await crypto.subtle.sign('HMAC', await keyFor(config), encoder.encode(`${userId}.${type}`));
  return `${userId}.${type}.${base64url(signature)}`;
}

/** The user and type a token names, or null when it is malformed or its signature is not ours. */
export async function readUnsubscribeCode(config: Config, token: string): Promise<{ userId: string; type: NotificationType } | null> {
  if (!UNSUBSCRIBE_CODE.test(token)) return null;
  const [userId, type, signature] = token.split('.') as [string, string, string];
  if (!(NOTIFICATION_TYPES as readonly string[]).includes(type)) return null;
  const valid = await crypto.subtle.verify('HMAC', await keyFor(config), fromBase64url(signature), encoder.encode(`${userId}.${type}`));
  return valid ? { userId, type: type as NotificationType } : null;
}

export const unsubscribeUrl = (config: Config, token: string) => `${config.PUBLIC_URL.replace(/\/$/, '')}/api/notifications/unsubscribe?code=${encodeURIComponent(token)}`;
