import type { Frequency } from './tables.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const daysIn = (year: number, month0: number) => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
const day = (date: Date) => `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

/**
 * The calendar day (YYYY-MM-DD) of occurrence `n` (0 is `start`): `n × interval` days, weeks,
 * months or years after it. A monthly or yearly day that a month lacks (the 31st, 29 February)
 * falls on that month's last day; the next one is again counted from the start.
 */
export function occurrence(start: string, frequency: Frequency, interval: number, n: number): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  switch (frequency) {
    case 'daily':
      return day(new Date(Date.UTC(y, m - 1, d + n * interval)));
    case 'weekly':
      return day(new Date(Date.UTC(y, m - 1, d + 7 * n * interval)));
    case 'monthly': {
      const months = m - 1 + n * interval;
      const year = y + Math.floor(months / 12);
      const month0 = months % 12;
      return day(new Date(Date.UTC(year, month0, Math.min(d, daysIn(year, month0)))));
    }
    case 'yearly': {
      const year = y + n * interval;
      return day(new Date(Date.UTC(year, m - 1, Math.min(d, daysIn(year, m - 1)))));
    }
  }
}

/** The first occurrence on or after `day`: its index and date. */
export function firstOnOrAfter(start: string, frequency: Frequency, interval: number, on: string): { index: number; date: string } {
  if (on <= start) return { index: 0, date: start };
  // An estimate from the span, then a step or two to the exact one.
  const spanDays = (Date.parse(on) - Date.parse(start)) / 86_400_000;
  const unitDays = { daily: 1, weekly: 7, monthly: 28, yearly: 365 }[frequency] * interval;
  let n = Math.max(0, Math.floor(spanDays / unitDays) - 2);
  while (occurrence(start, frequency, interval, n) < on) n++;
  while (n > 0 && occurrence(start, frequency, interval, n - 1) >= on) n--;
  return { index: n, date: occurrence(start, frequency, interval, n) };
}
