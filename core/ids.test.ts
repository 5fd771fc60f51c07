import { describe, expect, it } from 'vitest';
import { validate, version } from 'uuid';
import { createIds } from './ids.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// The id's first 48 bits are its millisecond.
const msecsOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('ids', () => {
  it('are UUIDv7, unique, and sort in the order they were made, past the pool of random bytes', () => {
    const ids = createIds();
    const made = Array.from({ length: 2000 }, () => ids.next());
    for (const id of made) {
      expect(id).toMatch(UUID_V7);
      expect(validate(id) && version(id)).toBe(7);
    }
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
  });

  it('carry their millisecond, and stay in order within one millisecond and when the clock goes back', () => {
    let time = Date.UTC(2026, 10, 27, 12);
    const ids = createIds(() => time);
    const first = ids.next();
    expect(msecsOf(first)).toBe(time);
    const sameMs = Array.from({ length: 500 }, () => ids.next());
    time -= 5000; // an NTP step back
    const after = Array.from({ length: 10 }, () => ids.next());
    const all = [first, ...sameMs, ...after];
    expect([...all].sort()).toEqual(all);
    time += 60_000;
    const later = ids.next();
    expect(msecsOf(later)).toBe(time);
    expect(later > all.at(-1)!).toBe(true);
  });

  it('do not repeat their random part across ids made in the same millisecond', () => {
    const ids = createIds(() => 1_700_000_000_000);
    const tails = new Set(Array.from({ length: 300 }, () => ids.next().slice(-12)));
    expect(tails.size).toBe(300);
  });
});
