import { XMLParser } from 'fast-xml-parser';

export interface RateDay {
  date: string;
  /** Units of each currency for 1 EUR. */
  rates: Record<string, number>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseAttributeValue: false,
  isArray: (name) => name === 'Cube',
});

interface CubeNode {
  time?: string;
  currency?: string;
  rate?: string;
  Cube?: CubeNode[];
}

/**
 * Reads the ECB's eurofxref XML layout (daily or history): Envelope > Cube > Cube[time] >
 * Cube[currency, rate]. Returns the days newest first; a document with no valid day throws.
 */
export function parseEcbXml(xml: string): RateDay[] {
  let doc: { Envelope?: { Cube?: CubeNode[] } };
  try {
    doc = parser.parse(xml);
  } catch {
    throw new Error('exchange-rate document is not XML');
  }
  const days: RateDay[] = [];
  for (const day of doc.Envelope?.Cube?.[0]?.Cube ?? []) {
    if (!day.time || !/^\d{4}-\d{2}-\d{2}$/.test(day.time)) continue;
    const rates: Record<string, number> = {};
    for (const entry of day.Cube ?? []) {
      const rate = Number(entry.rate);
      if (entry.currency && /^[A-Z]{3}$/.test(entry.currency) && Number.isFinite(rate) && rate > 0) {
        rates[entry.currency] = rate;
      }
    }
    if (Object.keys(rates).length > 0) days.push({ date: day.time, rates });
  }
  if (days.length === 0) throw new Error('exchange-rate document holds no reference rates');
  return days.sort((a, b) => b.date.localeCompare(a.date));
}
