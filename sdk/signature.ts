const encoder = new TextEncoder();

export interface VerifyOptions {
  /** The raw request body, exactly as received (not parsed and serialised again). */
  payload: string;
  /** The `ExpenseFlow-Signature` header: `t=<unix seconds>,v1=<hex>[,v1=<hex>]`. */
  header: string | null | undefined;
  /** The webhook's secret (`whsec_…`), as shown at creation or rotation. */
  secret: string;
  /** How old (or how far ahead) `t` may be, in seconds (default 300): an old capture replayed is refused. */
  toleranceSeconds?: number;
  /** Unix seconds now (default the clock's). */
  now?: number;
}

/**
 * Whether a webhook delivery was signed with `secret`: one of its `v1=` values is the hex
 * HMAC-SHA256 of `<t>.<payload>` keyed with the secret, and `t` is within the tolerance. During
 * a rotation a delivery carries one `v1=` per valid secret; either matching is enough.
 * Web Crypto only: runs on Node 20+, Deno, Bun, Workers and browsers.
 */
export async function verifyWebhookSignature(options: VerifyOptions): Promise<boolean> {
  const { payload, header, secret } = options;
  if (!header || header.length > 2048 || !secret) return false;
  const fields = header.split(',').map((part) => {
    const eq = part.indexOf('=');
    return [part.slice(0, eq).trim(), part.slice(eq + 1).trim()] as const;
  });
  const t = Number(fields.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t)) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  for (const [k, hex] of fields) {
    if (k !== 'v1' || !/^[0-9a-f]{64}$/.test(hex)) continue;
    const mac = new Uint8Array(32);
    for (let i = 0; i < 32; i++) mac[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    // subtle.verify compares in constant time.
    if (await crypto.subtle.verify('HMAC', key, mac, encoder.encode(`${t}.${payload}`))) return true;
  }
  return false;
}
