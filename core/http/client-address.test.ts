import { describe, expect, it } from 'vitest';
import { forwardedClient } from './client-address.ts';

describe('the client behind trusted proxies', () => {
  it('is the entry the nearest trusted proxy appended, whatever the client wrote to its left', () => {
    expect(forwardedClient('203.0.113.7', 1)).toBe('203.0.113.7');
    expect(forwardedClient('1.1.1.1, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(forwardedClient('1.1.1.1, 203.0.113.7, 10.0.0.2', 2)).toBe('203.0.113.7');
    expect(forwardedClient('2001:db8::1', 1)).toBe('2001:db8::1');
    // Fewer entries than proxies: the leftmost is the best there is.
    expect(forwardedClient('203.0.113.7', 3)).toBe('203.0.113.7');
  });

  it('is nothing without the header, without trust, or when the entry is no address', () => {
    expect(forwardedClient(undefined, 1)).toBeUndefined();
    expect(forwardedClient('203.0.113.7', 0)).toBeUndefined();
    expect(forwardedClient('<script>', 1)).toBeUndefined();
    expect(forwardedClient('1.1.1.1, ', 1)).toBeUndefined();
  });
});
