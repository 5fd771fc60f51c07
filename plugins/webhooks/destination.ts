import type { Platform } from '../../core/platform.ts';
import { ipLiteral, isPublicAddress } from './address.ts';

/** Why a URL may not be sent to, or null when it may. */
export type Refusal = string | null;

/**
 * Checks a webhook URL against SSRF, at creation and again before each delivery (a name may
 * resolve elsewhere since): every address the host name resolves to must be public. Where the
 * host has no resolver (Workers) only what the URL shows is judged: an IP literal or a
 * `localhost` name; Cloudflare's fetch itself does not reach private networks. Off with
 * WEBHOOKS_ALLOW_PRIVATE=true.
 *
 * What this does not stop: a name whose DNS answer changes between this check and the fetch's
 * own lookup (rebinding) within the same second; the fetch does not follow redirects, so a
 * public receiver cannot bounce a delivery inward.
 */
export async function refusal(platform: Platform, url: string): Promise<Refusal> {
  if (platform.config.WEBHOOKS_ALLOW_PRIVATE) return null;
  const { hostname } = new URL(url);
  const literal = ipLiteral(hostname);
  if (literal !== null) return isPublicAddress(literal) ? null : `${literal} is a private, loopback or link-local address`;
  if (!platform.resolveHost) {
    // No resolver to ask: the one name that is always this machine is refused as such.
    const name = hostname.toLowerCase().replace(/\.$/, '');
    return name === 'localhost' || name.endsWith('.localhost') ? `${hostname} is the local machine` : null;
  }
  let addresses: string[];
  try {
    addresses = await platform.resolveHost(hostname);
  } catch {
    return `${hostname} does not resolve`;
  }
  if (addresses.length === 0) return `${hostname} does not resolve`;
  const inner = addresses.find((a) => !isPublicAddress(a));
  return inner ? `${hostname} resolves to ${inner}, a private, loopback or link-local address` : null;
}
