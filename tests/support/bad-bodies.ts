export const json = (text: string) => new TextEncoder().encode(text);
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

/** Bodies a lenient decoder would store with U+FFFD (or a lone surrogate) in place of what was sent. */
export const badBodies: [string, Uint8Array][] = [
  ['0xFF 0xFE', bytes('{"description":"', [0xff, 0xfe], '","amount":5,"category":"food"}')],
  ['an overlong "/"', bytes('{"description":"', [0xc0, 0xaf], '","amount":5,"category":"food"}')],
  ['a truncated sequence', bytes('{"description":"', [0xe2, 0x82], '","amount":5,"category":"food"}')],
  ['a Latin-1 é', bytes('{"description":"caf', [0xe9], '","amount":5,"category":"food"}')],
  ['an encoded surrogate', bytes('{"description":"', [0xed, 0xa0, 0x80], '","amount":5,"category":"food"}')],
  ['a lone surrogate escape', json('{"description":"\\ud800","amount":5,"category":"food"}')],
  ['a lone low surrogate escape in a key', json('{"description":"x","amount":5,"category":"food","\\udc00":1}')],
];

