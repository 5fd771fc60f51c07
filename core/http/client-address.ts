/**
 * The client behind `hops` trusted proxies, from X-Forwarded-For: each proxy appends the
 * address it received the request from, so the client is the hops-th entry from the right
 * (whatever a client writes into the header itself stays to the left of it).
 */
export function forwardedClient(header: string | undefined, hops: number): string | undefined {
  if (!header || hops < 1) return undefined;
  const entries = header.split(',');
  const entry = entries[Math.max(0, entries.length - hops)]!.trim();
  // An address, not whatever text: it becomes a limiter key and a session's recorded IP.
  return entry.length > 0 && entry.length <= 64 && /^[0-9a-fA-F:.]+$/.test(entry) ? entry : undefined;
}
