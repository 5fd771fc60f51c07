import fc from 'fast-check';
import type { Schema } from './document.ts';

/**
 * Values a hostile client sends, and fast-check arbitraries derived from a schema: `invalidFor`
 * yields only values the schema refuses (so any 2xx to them is a bug), `plausibleFor` values
 * of the right shape with nasty text where free text goes.
 */

/** Well-formed text that is dangerous somewhere downstream: SQL, markup, templates, paths, prototypes. */
export const NASTY_TEXT = [
  "' OR '1'='1",
  "'; DROP TABLE expense; --",
  '1; DELETE FROM user WHERE 1=1',
  '" UNION SELECT password_hash, email FROM user --',
  "x' AND randomblob(1000000000) --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(document.cookie)>',
  '<svg/onload=alert(1)>',
  'javascript:alert(1)',
  '</textarea><b>bold</b>',
  "{{constructor.constructor('return process')()}}",
  '${process.exit(1)}',
  '#{7*7}',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  'file:///etc/passwd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%s%s%s%n',
  '\u202Egnp.exe',
  'e\u0301\u0301\u0301',
  '👨‍👩‍👧‍👦 family',
  'zero\u200Bwidth\uFEFF',
  'ᚠᛇᚻ᛫ᛒᛦᚦ 中文 العربية',
  'line\r\nSet-Cookie: session=evil',
  'tab\there',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '0x1F',
  'null',
  'true',
  '{"$gt":""}',
  '[object Object]',
];

/** Operator objects and prototype keys where a scalar belongs. */
const protoObject = (key: string, value: unknown): unknown => JSON.parse(`{"${key}":${JSON.stringify(value)}}`);

/** An object with an own `__proto__` key, as JSON.parse builds it (a literal would set the prototype). */
export const withProtoKey = (obj: Record<string, unknown>, value: unknown) => {
  const out = { ...obj };
  Object.defineProperty(out, '__proto__', { value, enumerable: true, configurable: true, writable: true });
  return out;
};

/** Text placed as is into a serialized body: deep nesting that JSON.stringify could not build. */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export const deepArray = (depth: number) => new RawJson('['.repeat(depth) + ']'.repeat(depth));
export const deepObject = (depth: number) => new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));

/** JSON text of a value that may hold RawJson parts and own `__proto__` keys. */
export function serialize(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${serialize(v)}`)
      .join(',')}}`;
  }
  const text = JSON.stringify(value);
  // A number JSON cannot write (1e400 is Infinity in JS): sent as the digits a client would.
  return text === 'null' && typeof value === 'number' ? '1e400' : text;
}

const OPERATOR_OBJECTS: unknown[] = [
  { $gt: '' },
  { $ne: null },
  { $where: 'sleep(1000)' },
  { $regex: '.*' },
  protoObject('__proto__', { isAdmin: true }),
  protoObject('constructor', { prototype: { isAdmin: true } }),
];

export const nastyText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_TEXT) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...NASTY_TEXT), fc.constantFrom(...NASTY_TEXT)).map(([a, b]) => `${a} ${b}`) },
);

/**
 * A string of exactly `length` characters made of nasty text. Characters are code points, as
 * JSON Schema's maxLength counts them (and zod does): an emoji is one, not two UTF-16 units.
 */
export const nastyOfLength = (length: number) =>
  nastyText.map((s) => [...s.repeat(Math.ceil(length / Math.max(1, [...s].length)) + 1)].slice(0, length).join(''));

/** Length as JSON Schema counts it. */
export const characters = (s: string) => [...s].length;

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'array' | 'object';

const typeOfValue = (v: unknown): JsonType =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : (typeof v as JsonType);

/** The JSON types a schema lets through; null when it says nothing (anything goes). */
export function typesOf(s: Schema): Set<JsonType> | null {
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const out = new Set<JsonType>();
    for (const b of branches) {
      const t = typesOf(b);
      if (!t) return null;
      for (const x of t) out.add(x);
    }
    return out;
  }
  let out: Set<JsonType> | null = null;
  if (s.type) out = new Set((Array.isArray(s.type) ? s.type : [s.type]) as JsonType[]);
  else if (s.enum) out = new Set(s.enum.map(typeOfValue));
  else if (s.const !== undefined) out = new Set([typeOfValue(s.const)]);
  else if (s.properties) out = new Set(['object']);
  else if (s.items) out = new Set(['array']);
  if (out?.has('number')) out.add('integer');
  if (s.nullable) out?.add('null');
  return out;
}

/** A string schema, perhaps nullable: its string constraints can be broken. */
const isText = (b: Schema) => {
  const t = typesOf(b);
  return t !== null && t.has('string') && [...t].every((x) => x === 'string' || x === 'null');
};

const HUGE_NUMBERS = [1e308, -1e308, 2 ** 53 + 2, 1e400, -0.000001, 123456789.123456789];

function wrongTypeValues(allowed: Set<JsonType>): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  if (!allowed.has('string')) out.push(nastyText);
  if (!allowed.has('integer')) out.push(fc.constantFrom(...HUGE_NUMBERS, 0, 7, -1));
  else if (!allowed.has('number')) out.push(fc.constantFrom(0.5, -1.5, 1.0000001));
  if (!allowed.has('boolean')) out.push(fc.boolean());
  if (!allowed.has('null')) out.push(fc.constant(null));
  if (!allowed.has('array')) out.push(fc.oneof(fc.constant([]), nastyText.map((s) => [s]), fc.constantFrom(deepArray(64), deepArray(5000))));
  if (!allowed.has('object')) out.push(fc.oneof(fc.constantFrom(...OPERATOR_OBJECTS), fc.constantFrom(deepObject(64), deepObject(5000))));
  return out;
}

const looksLike: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T/,
  email: /^[^\s@<>"'(),;:\\[\]]+@[^\s@<>"'(),;:\\[\]]+$/,
  uuid: /^[0-9a-f-]{36}$/i,
  uri: /^[a-z][a-z0-9+.-]*:/i,
};

/** Strings every listed branch refuses, judged by what the document says of them. */
function refusedStrings(branches: Schema[]): fc.Arbitrary<string>[] {
  const out: fc.Arbitrary<string>[] = [];
  const accepts = (s: string) =>
    branches.some(
      (b) =>
        (b.maxLength === undefined || characters(s) <= b.maxLength) &&
        (b.minLength === undefined || characters(s) >= b.minLength) &&
        (!b.enum || b.enum.includes(s)) &&
        (b.const === undefined || b.const === s) &&
        (!b.pattern || new RegExp(b.pattern).test(s)) &&
        (!b.format || !(b.format in looksLike) || looksLike[b.format]!.test(s)),
    );
  const maxes = branches.map((b) => b.maxLength);
  if (maxes.every((m) => m !== undefined)) {
    const max = Math.max(...(maxes as number[]));
    out.push(fc.integer({ min: max + 1, max: max + 64 }).chain(nastyOfLength));
  }
  const constrained = branches.every((b) => b.enum || b.const !== undefined || b.pattern || (b.format && b.format in looksLike));
  if (constrained) out.push(nastyText.filter((s) => !accepts(s)));
  if (branches.every((b) => (b.minLength ?? 0) >= 1)) out.push(fc.constant(''));
  return out.map((a) => a.filter((s) => !accepts(s)));
}

function refusedNumbers(s: Schema): fc.Arbitrary<number>[] {
  const out: number[] = [];
  if (s.maximum !== undefined) out.push(s.maximum + 1, 1e308);
  if (s.exclusiveMaximum !== undefined) out.push(s.exclusiveMaximum, s.exclusiveMaximum * 10);
  if (s.minimum !== undefined) out.push(s.minimum - 1, -1e308);
  if (s.exclusiveMinimum !== undefined) out.push(s.exclusiveMinimum, s.exclusiveMinimum - 1);
  if (s.enum) out.push(...[0, 1, -1, 2 ** 31].filter((n) => !s.enum!.includes(n)));
  const types = typesOf(s);
  if (types?.has('integer') && !types.has('number')) out.push((s.minimum ?? s.exclusiveMinimum ?? 0) + 1.5);
  return out.length ? [fc.constantFrom(...out)] : [];
}

export interface Hints {
  /** Values by property name, for fields a schema cannot say enough about (an existing id, a known currency). */
  [property: string]: unknown;
}

/** Values the schema refuses, or null when it accepts anything. */
export function invalidFor(s: Schema, hints: Hints = {}): fc.Arbitrary<unknown> | null {
  const choices: fc.Arbitrary<unknown>[] = [];
  const types = typesOf(s);
  if (types) choices.push(...wrongTypeValues(types));
  const branches = s.anyOf ?? s.oneOf ?? [s];
  const single = branches.length === 1 ? branches[0]! : undefined;
  if (branches.every(isText)) choices.push(...refusedStrings(branches));
  else if (single && types && !types.has('string')) {
    if (types.has('integer') && !types.has('array') && !types.has('object')) choices.push(...refusedNumbers(single));
    if (types.has('boolean') && single.enum) choices.push(fc.constantFrom(true, false).filter((b) => !single.enum!.includes(b)));
    if (types.size === 1 && types.has('array')) choices.push(...refusedArrays(single, hints));
    if (types.size === 1 && types.has('object')) choices.push(...refusedObjects(single, hints));
  }
  return choices.length ? fc.oneof(...choices) : null;
}

function refusedArrays(s: Schema, hints: Hints): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  const item = s.items ? plausibleFor(s.items, hints) : fc.constant(1);
  if (s.maxItems !== undefined) out.push(fc.array(item, { minLength: s.maxItems + 1, maxLength: s.maxItems + 3 }));
  if ((s.minItems ?? 0) >= 1) out.push(fc.constant([]));
  const bad = s.items && invalidFor(s.items, hints);
  if (bad) out.push(fc.tuple(fc.array(item, { maxLength: 2 }), bad).map(([good, b]) => [...good, b]));
  return out;
}

function refusedObjects(s: Schema, hints: Hints): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  const props = s.properties ?? {};
  const base = plausibleFor(s, hints) as fc.Arbitrary<Record<string, unknown>>;
  const required = s.required ?? [];
  if (required.length) {
    // A required field missing, sometimes smuggled in through a `__proto__` key instead.
    out.push(
      fc.tuple(base, fc.constantFrom(...required), fc.boolean()).map(([obj, key, smuggle]) => {
        const { [key]: dropped, ...rest } = obj;
        return smuggle ? withProtoKey(rest, { [key]: dropped ?? 'x' }) : rest;
      }),
    );
  }
  const badProps = Object.entries(props).flatMap(([k, p]) => {
    const bad = invalidFor(p, hints);
    return bad ? [bad.map((v) => [k, v] as const)] : [];
  });
  if (badProps.length) out.push(fc.tuple(base, fc.oneof(...badProps)).map(([obj, [k, v]]) => ({ ...obj, [k]: v })));
  // A change with nothing in it.
  if ((s.minProperties ?? 0) >= 1) out.push(fc.constant({}));
  if (s.additionalProperties === false) out.push(fc.tuple(base, nastyText).map(([obj, k]) => ({ ...obj, [`extra ${k}`]: 1 })));
  return out;
}

const FORMAT_SAMPLES: Record<string, fc.Arbitrary<string>> = {
  date: fc.constantFrom('2025-05-09', '2026-01-31', '2024-02-29'),
  'date-time': fc.constantFrom('2025-05-09T10:00:00.000Z', '2026-01-31T23:59:59Z'),
  email: fc.constantFrom('someone@example.com', "o'brien+tag@example.org"),
  uuid: fc.uuid(),
  uri: fc.constantFrom('https://example.com/a?b=<c>'),
};

/** Values of the schema's shape: free text is nasty, bounds kept; not guaranteed valid. */
export function plausibleFor(s: Schema, hints: Hints = {}): fc.Arbitrary<unknown> {
  if (s.anyOf ?? s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf)!.map((b) => plausibleFor(b, hints)));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const types = typesOf(s);
  const type = types ? [...types].find((t) => t !== 'null') ?? 'null' : 'string';
  switch (type) {
    case 'string': {
      if (s.format && FORMAT_SAMPLES[s.format]) return FORMAT_SAMPLES[s.format]!;
      if (s.pattern) return typeof s.example === 'string' ? fc.constant(s.example) : fc.constant('a');
      const min = s.minLength ?? 0;
      const max = Math.min(s.maxLength ?? 200, 200);
      return nastyText.map((t) => {
        const text = [...t].slice(0, max).join('');
        return characters(text.trim()) >= min ? text : text + 'x'.repeat(min);
      });
    }
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      const max = Math.min(s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1000), Math.max(min, 1000));
      return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) });
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const item = s.items ? plausibleFor(s.items, hints) : fc.constant('x');
      return fc.array(item, { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) });
    }
    case 'object': {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const fields = Object.fromEntries(
        Object.entries(props).map(([k, p]) => [k, k in hints ? fc.constant(hints[k]) : plausibleFor(p, hints)]),
      );
      return fc.record(fields, { requiredKeys: Object.keys(props).filter((k) => required.has(k) || k in hints) });
    }
    default:
      return fc.constant(null);
  }
}

/** Query values are text: numbers and booleans a schema refuses, as a client would write them. */
export function invalidQueryValue(s: Schema): fc.Arbitrary<string> | null {
  const types = typesOf(s);
  const branches = s.anyOf ?? s.oneOf ?? [s];
  if (types && [...types].every((t) => t === 'string' || t === 'null')) {
    const refused = refusedStrings(branches.filter(isText));
    return refused.length ? fc.oneof(...refused) : null;
  }
  if (types && (types.has('integer') || types.has('number'))) {
    const accepts = (text: string) => {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) return false;
      if (!types.has('number') && !Number.isInteger(n)) return false;
      return (
        (s.minimum === undefined || n >= s.minimum) &&
        (s.maximum === undefined || n <= s.maximum) &&
        (s.exclusiveMinimum === undefined || n > s.exclusiveMinimum) &&
        (s.exclusiveMaximum === undefined || n < s.exclusiveMaximum)
      );
    };
    const numbers = refusedNumbers(s).map((a) => a.map((n) => (Number.isFinite(n) ? String(n) : '1e400')));
    return fc.oneof(nastyText, fc.constantFrom('1e400', '99999999999999999999999', '--1', '1.2.3'), ...numbers).filter((t) => !accepts(t));
  }
  if (types?.has('boolean')) return nastyText.filter((t) => t !== 'true' && t !== 'false');
  return null;
}

/** Header values must be printable Latin-1 to be sent at all: the ones a pattern or length refuses. */
export function invalidHeaderValue(s: Schema): fc.Arbitrary<string> | null {
  const refused = refusedStrings([s]);
  if (!refused.length) return null;
  return fc.oneof(...refused).filter((v) => /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(v));
}

/** One value the schema accepts, as small as it allows: required fields (and hinted ones), examples, first choices. */
export function exampleFor(s: Schema, hints: Hints = {}): unknown {
  if (s.anyOf ?? s.oneOf) return exampleFor((s.anyOf ?? s.oneOf)![0]!, hints);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum.find((v) => v !== null) ?? s.enum[0];
  const types = typesOf(s);
  const type = types ? [...types].find((t) => t !== 'null') ?? 'null' : 'string';
  const fits = (n: unknown): n is number =>
    typeof n === 'number' &&
    (s.minimum === undefined || n >= s.minimum) &&
    (s.maximum === undefined || n <= s.maximum) &&
    (s.exclusiveMinimum === undefined || n > s.exclusiveMinimum) &&
    (s.exclusiveMaximum === undefined || n < s.exclusiveMaximum);
  switch (type) {
    case 'string':
      if (s.format === 'date') return '2025-05-09';
      if (s.format === 'date-time') return '2025-05-09T10:00:00.000Z';
      if (typeof s.example === 'string') return s.example;
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer':
    case 'number':
      if (fits(s.example)) return s.example;
      return [1, 10, s.minimum, (s.exclusiveMinimum ?? 0) + 1].find(fits) ?? 1;
    case 'boolean':
      return typeof s.example === 'boolean' ? s.example : true;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => (s.items ? exampleFor(s.items, hints) : 'x'));
    case 'object': {
      const required = new Set(s.required ?? []);
      const props = Object.entries(s.properties ?? {});
      const chosen = props.filter(([k]) => required.has(k) || k in hints);
      // A change with nothing in it is refused (minProperties): one field at least.
      if (!chosen.length && props.length && (s.minProperties ?? 0) >= 1) chosen.push(props[0]!);
      return Object.fromEntries(chosen.map(([k, p]) => [k, k in hints ? hints[k] : exampleFor(p, hints)]));
    }
    default:
      return null;
  }
}
