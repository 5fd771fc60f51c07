import { describe, expect, it } from 'vitest';
import { isPublicAddress, parseIPv6 } from './address.ts';

describe('webhook addresses', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast and reserved IPv4', () => {
    for (const a of ['127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1']) {
      expect([a, isPublicAddress(a)]).toEqual([a, false]);
    }
  });

  it('allows public IPv4, including the neighbours of the private ranges', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '192.169.0.1', '100.128.0.1', '169.253.0.1']) {
      expect([a, isPublicAddress(a)]).toEqual([a, true]);
    }
  });

  it('refuses loopback, unspecified, unique-local, link-local and multicast IPv6, and IPv4 carried in IPv6', () => {
    for (const a of ['::1', '::', '[::1]', 'fc00::1', 'fd12:3456::1', 'fe80::1%eth0', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::127.0.0.1', '64:ff9b::a9fe:a9fe', '2002:c0a8:0101::1', '2001:db8::1']) {
      expect([a, isPublicAddress(a)]).toEqual([a, false]);
    }
  });

  it('allows public IPv6, and a mapped public IPv4', () => {
    for (const a of ['2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '2002:0808:0808::1']) {
      expect([a, isPublicAddress(a)]).toEqual([a, true]);
    }
  });

  it('parses the IPv6 forms and refuses what is not an address', () => {
    expect(parseIPv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseIPv6('1::8')).toEqual([1, 0, 0, 0, 0, 0, 0, 8]);
    for (const bad of ['1:2:3', '1::2::3', 'g::1', 'example.com', '1.2.3', '256.1.1.1', '']) expect([bad, isPublicAddress(bad)]).toEqual([bad, false]);
  });
});
