/**
 * Which addresses a webhook may be sent to: public unicast only. Refused: loopback, private
 * (RFC 1918), carrier-grade NAT, link-local, unique-local, multicast, reserved, documentation
 * and benchmarking ranges, the unspecified address, and any IPv6 form that carries an IPv4
 * address (mapped, compatible, NAT64, 6to4) whose IPv4 address is refused.
 */

/** The four bytes of a dotted IPv4 address, or null. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

/** The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted IPv4), or null. */
export function parseIPv6(text: string): number[] | null {
  let s = text.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    // A trailing dotted IPv4 address is the last two groups: rewritten as such, then parsed as hex.
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (!v4) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const valid = (g: string) => /^[0-9a-f]{1,4}$/.test(g);
  if (![...head, ...rest].every(valid)) return null;
  const count = head.length + rest.length;
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  const zeros = new Array(8 - count).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...rest.map((g) => parseInt(g, 16))];
}

const inV4 = (b: number[], net: number[], bits: number) => {
  for (let i = 0; i < 4; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = (0xff << (8 - take)) & 0xff;
    if ((b[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
};

const BLOCKED_V4: [number[], number][] = [
  [[0, 0, 0, 0], 8], // "this network", the unspecified address
  [[10, 0, 0, 0], 8], // private
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local (cloud metadata services live here)
  [[172, 16, 0, 0], 12], // private
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation
  [[192, 88, 99, 0], 24], // 6to4 relay anycast
  [[192, 168, 0, 0], 16], // private
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation
  [[203, 0, 113, 0], 24], // documentation
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

function blockedV4(b: number[]): boolean {
  return BLOCKED_V4.some(([net, bits]) => inV4(b, net, bits));
}

function blockedV6(g: number[]): boolean {
  const v4At = (i: number) => [g[i]! >> 8, g[i]! & 0xff, g[i + 1]! >> 8, g[i + 1]! & 0xff];
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return true; // ::
  if (zeroUpTo(7) && g[7] === 1) return true; // ::1
  if (zeroUpTo(5) && g[5] === 0xffff) return blockedV4(v4At(6)); // ::ffff:a.b.c.d, mapped
  if (zeroUpTo(6)) return true; // ::a.b.c.d, the deprecated "compatible" form: never public
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return blockedV4(v4At(6)); // NAT64
  if (g[0] === 0x2002) return blockedV4(v4At(1)); // 6to4 carries its IPv4 address in groups 1-2
  if ((g[0]! & 0xfe00) === 0xfc00) return true; // fc00::/7 unique-local
  if ((g[0]! & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((g[0]! & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((g[0]! & 0xff00) === 0xff00) return true; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return true; // documentation
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return true; // 100::/64 discard-only
  return false;
}

/** Whether `address` (an IPv4 or IPv6 literal) is one a webhook may reach; false for anything unparsable. */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4) return !blockedV4(v4);
  const v6 = parseIPv6(address.replace(/^\[|\]$/g, ''));
  return v6 ? !blockedV6(v6) : false;
}

/** An IP literal as a URL's hostname shows it (IPv6 in brackets), or null for a name. */
export function ipLiteral(hostname: string): string | null {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return hostname.slice(1, -1);
  return parseIPv4(hostname) ? hostname : null;
}
