import { describe, expect, it } from 'vitest';
import { daysBetween, lastPeriods, localDay, localMonth, periodOf, startOfLocalDay } from './calendar.ts';

const iso = (d: Date) => d.toISOString();

describe('calendar periods in a time zone', () => {
  it('a month starts at local midnight of the 1st', () => {
    const at = new Date('2026-03-01T02:00:00Z'); // still February in New York
    expect(iso(periodOf('month', at, 'America/New_York').start)).toBe('2026-02-01T05:00:00.000Z');
    expect(iso(periodOf('month', at, 'America/New_York').end)).toBe('2026-03-01T05:00:00.000Z');
    expect(iso(periodOf('month', at, 'Asia/Tokyo').start)).toBe('2026-02-28T15:00:00.000Z');
    expect(iso(periodOf('month', at, 'UTC').start)).toBe('2026-03-01T00:00:00.000Z');
  });

  it('a period across a DST change keeps local midnight at both ends', () => {
    // Europe/Berlin moves to summer time on 2026-03-29.
    const march = periodOf('month', new Date('2026-03-15T12:00:00Z'), 'Europe/Berlin');
    expect(iso(march.start)).toBe('2026-02-28T23:00:00.000Z');
    expect(iso(march.end)).toBe('2026-03-31T22:00:00.000Z');
  });

  it('weeks start on Monday; quarters and years at their local start', () => {
    const at = new Date('2026-11-26T10:00:00Z'); // a Thursday
    expect(iso(periodOf('week', at, 'UTC').start)).toBe('2026-11-23T00:00:00.000Z');
    expect(iso(periodOf('quarter', at, 'UTC').start)).toBe('2026-10-01T00:00:00.000Z');
    expect(iso(periodOf('year', at, 'Pacific/Auckland').start)).toBe('2025-12-31T11:00:00.000Z');
  });

  it('lists the last n periods oldest first, contiguous', () => {
    const months = lastPeriods('month', new Date('2026-01-10T00:00:00Z'), 12, 'Europe/Berlin');
    expect(months).toHaveLength(12);
    expect(localMonth(months[0]!.start, 'Europe/Berlin')).toBe('2025-02');
    expect(localMonth(months[11]!.start, 'Europe/Berlin')).toBe('2026-01');
    for (let i = 1; i < 12; i++) expect(months[i]!.start).toEqual(months[i - 1]!.end);
  });

  it('reads local days and counts calendar days', () => {
    expect(localDay(new Date('2026-01-31T23:30:00Z'), 'Europe/Berlin')).toBe('2026-02-01');
    expect(iso(startOfLocalDay('2026-02-01', 'Europe/Berlin'))).toBe('2026-01-31T23:00:00.000Z');
    expect(daysBetween(new Date('2026-01-31T23:30:00Z'), new Date('2026-02-02T00:30:00Z'), 'Europe/Berlin')).toBe(1);
    expect(daysBetween(new Date('2026-01-31T23:30:00Z'), new Date('2026-02-02T00:30:00Z'), 'UTC')).toBe(2);
  });
});
