import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEcbXml } from './ecb.ts';

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/ecb/${name}`, import.meta.url), 'utf8');

describe('ECB reference-rate documents', () => {
  it('reads the daily file', () => {
    const [day, ...rest] = parseEcbXml(fixture('eurofxref-daily.xml'));
    expect(rest).toHaveLength(0);
    expect(day!.date).toBe('2025-05-09');
    expect(day!.rates.USD).toBe(1.1252);
    expect(day!.rates.JPY).toBe(163.36);
    expect(Object.keys(day!.rates)).toHaveLength(30);
  });

  it('reads the 90-day history, newest first', () => {
    const days = parseEcbXml(fixture('eurofxref-hist-90d.xml'));
    expect(days).toHaveLength(64);
    expect(days[0]!.date).toBe('2025-05-09');
    expect(days.at(-1)!.date < days[0]!.date).toBe(true);
    expect(days.every((d) => d.rates.USD! > 0)).toBe(true);
  });

  it('refuses what is not a rate document', () => {
    expect(() => parseEcbXml('<html><body>Service unavailable</body></html>')).toThrow(/no reference rates/);
    expect(() => parseEcbXml('')).toThrow();
  });
});
