import fc from 'fast-check';
import { badBodies } from '../support/bad-bodies.ts';
import { fillPath, type Operation, type Parameter } from './document.ts';
import { errorCatalogue } from '../../core/http/errors.ts';
import { MAX_URL_LENGTH } from '../../core/http/guards.ts';
import {
  deepArray,
  deepObject,
  invalidFor,
  invalidHeaderValue,
  invalidQueryValue,
  nastyText,
  plausibleFor,
  RawJson,
  serialize,
  type Hints,
} from './values.ts';
import type { App } from './fixture.ts';

/** One request as the suite sends it, and which of its parts were made invalid (for the failure message). */
export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | FormData;
  invalid: string[];
}

interface Draft {
  pathValues: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: HostileRequest['body'];
  /** The JSON value of the body, before a transport variant rewrites its bytes. */
  bodyValue?: unknown;
}

type Part = (draft: Draft) => void;

/** What an operation needs to be called for real: the caller's credentials and ids. */
export interface Caller {
  headers: Record<string, string>;
  /** The caller's own ids for the operation's path parameters (or a fixed value for non-ids). */
  pathValues: (op: Operation) => Record<string, string>;
  hints: Hints;
}

const isDotSegment = (s: string) => /^(?:\.|%2e){1,2}$/i.test(s);

// Kept as sent: percent sequences that are malformed, or decode to NUL, a slash, invalid UTF-8.
const RAW_SEGMENTS = ['%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%2f..%2f..%2fhealth', '%00', '%ff%fe', '%', '%E0%A4%A', '%c0%af', '%252e%252e%252f', 'a%0d%0aSet-Cookie:x=1'];

/** Path values that name nothing the caller owns: traversal, injection, huge, malformed encodings. */
const hostileSegment = (p: Parameter): fc.Arbitrary<string> =>
  fc
    .oneof(
      nastyText.map(encodeURIComponent),
      fc.constantFrom(...RAW_SEGMENTS),
      fc.uuid(),
      fc.integer({ min: 65, max: 4000 }).map((n) => 'a'.repeat(n)),
      fc.constantFrom('0', '-1', '1e309', 'null', 'undefined', '[object Object]'),
    )
    .filter((s) => s.length > 0 && !isDotSegment(s) && !(p.schema.enum ?? []).includes(decodeURIComponentSafe(s)));

/**
 * The caller's own id, nearly: padded, cut, cased, suffixed. None of them is that id. Case is
 * left alone for names (a category's name is its lowercase form: `FOOD` is `food`).
 */
const idVariant = (id: string, name: string) =>
  fc
    .constantFrom(`${id}%20`, `%20${id}`, `${id}%00`, `${id}%0A`, /id$/i.test(name) ? id.toUpperCase() : `${id}x`, `${id}'--`, `${id}%27%20OR%20%271%27%3D%271`, id.slice(0, -1), `${id}0`, `${id}%2F..`, `${id};`, `${id}*`, `${id}%25`)
    .filter((v) => v !== id);

function decodeURIComponentSafe(s: string) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Authorization values that name no valid session: malformed, unsigned, tampered, other schemes, huge. */
const hostileAuthorization = (token: string) => {
  const [header, payload, signature] = token.split('.');
  const claims = payload ? JSON.parse(Buffer.from(payload, 'base64url').toString()) : {};
  return fc.oneof(
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNzd29yZA==',
      `Bearer ${'a'.repeat(8000)}`,
      'Bearer a.b.c',
      `Bearer ${token}x`,
      `Bearer ${header}.${payload}.`,
      `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      `Bearer ${b64({ alg: 'HS512', typ: 'JWT' })}.${payload}.${signature}`,
      `Bearer ${b64({ alg: 'HS256', kid: '../../../../dev/null' })}.${payload}.${signature}`,
      `Bearer ${header}.${b64({ ...claims, sub: "' OR '1'='1" })}.${signature}`,
      `Bearer ${header}.${b64({ ...claims, exp: 1e308 })}.${signature}`,
      `Token ${token}`,
    ),
    nastyText.map((t) => `Bearer ${t.replace(/[^\x20-\x7e]/g, '')}`),
  );
};

const encoder = new TextEncoder();
const concat = (...parts: Uint8Array[]) => Buffer.concat(parts);

const INVALID_UTF8 = [[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xe9], [0x80], [0xf4, 0x90, 0x80, 0x80]];

/** A body's text with bytes that are not UTF-8 inside one of its strings. */
const withInvalidUtf8 = (value: unknown) =>
  fc.tuple(fc.constantFrom(...INVALID_UTF8), fc.nat()).map(([bad, at]) => {
    const text = serialize(value === undefined ? {} : value);
    const quotes = [...text.matchAll(/"/g)].map((m) => m.index!);
    const cut = quotes.length ? quotes[at % quotes.length]! + 1 : 0;
    const bytes = encoder.encode(text);
    const byteCut = encoder.encode(text.slice(0, cut)).length;
    return quotes.length ? concat(bytes.subarray(0, byteCut), new Uint8Array(bad), bytes.subarray(byteCut)) : concat(encoder.encode('{"x":"'), new Uint8Array(bad), encoder.encode('"}'));
  });

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RawJson);

/** Well-formed JSON that escapes a lone surrogate, in a value or in a key, beside the body's own fields. */
const withLoneSurrogate = fc.tuple(fc.constantFrom('\\ud800', '\\udfff', '\\udbff\\u0041', 'x\\udc00'), fc.boolean()).map(
  ([escape, inKey]) =>
    (d: Draft) => {
      const base = isRecord(d.bodyValue) && Object.keys(d.bodyValue).length ? `${serialize(d.bodyValue).slice(1, -1)},` : '';
      d.body = `{${base}${inKey ? `"${escape}":1` : `"note":"${escape}"`}}`;
      d.headers['content-type'] = 'application/json';
    },
);

const MALFORMED_JSON = ['{', '{"a":', '[1,]', "{'a':1}", '{"a":1}}', 'NaN', 'undefined', '{"a":01}', '{"a":"\u0000"}', '\u0000', '', '{"a":1,"a":2', '{"__proto__":', '"\\x41"', '{"a":"\\u12"}'];

/**
 * Deep nesting, at the root where every body is an object (so it is invalid whatever the route
 * takes), and beside an escape so the encoding check walks the whole tree as well. Deep values
 * in a field's place come from `invalidFor`.
 */
const DEEP = fc.constantFrom(
  deepArray(10_000).text,
  `["\\u0041",${deepArray(100_000).text}]`,
  `[{"note":"\\u0041"},${deepObject(50_000).text}]`,
  `[${deepObject(100_000).text}]`,
);

const CONTENT_TYPES = ['text/plain', 'application/xml', 'text/html', 'application/x-www-form-urlencoded', 'application/octet-stream', 'applicationjson', 'application/json-patch', 'multipart/mixed'];

/** Fields no schema names, prototype keys among them, beside an object's own (ignored by design). */
const withExtraFields = (value: fc.Arbitrary<unknown>, schema: { properties?: Record<string, unknown> }) =>
  fc
    .tuple(value, fc.array(fc.tuple(fc.oneof(nastyText, fc.constantFrom('__proto__', 'constructor', '$where', 'isAdmin', 'userId', '_id')), fc.oneof(nastyText, fc.constantFrom<unknown>({ isAdmin: true }, null, 1e308))), { maxLength: 3 }))
    .map(([v, extras]) => {
      if (!isRecord(v)) return v;
      const out = { ...v };
      // Never a field the schema names: an extra one must not complete or spoil the body.
      for (const [k, x] of extras) if (!Object.hasOwn(out, k) && !Object.hasOwn(schema.properties ?? {}, k)) Object.defineProperty(out, k, { value: x, enumerable: true, configurable: true, writable: true });
      return out;
    });

function jsonPart(value: unknown, contentType = 'application/json'): Part {
  return (d) => {
    d.body = value instanceof RawJson ? value.text : serialize(value);
    d.bodyValue = value;
    d.headers['content-type'] = contentType;
  };
}

/**
 * Requests for one operation in which at least one part is invalid by the document (a path id
 * the caller does not own, a query value, a header, the body, the bytes of the body, the URL's
 * length); the other parts are plausible, with the caller's real ids.
 */
export function hostileRequests(op: Operation, caller: Caller): fc.Arbitrary<HostileRequest> | null {
  // Each part of the request: plausible, or made invalid when chosen (a part with no invalid form is never chosen).
  const slots: { name: string; valid: fc.Arbitrary<Part>; invalid: fc.Arbitrary<Part> | null }[] = [];
  const own = caller.pathValues(op);
  const api = op.path.startsWith('/api/');
  const hasBodyMethod = op.method !== 'GET';

  for (const p of op.params.filter((x) => x.in === 'path')) {
    slots.push({
      name: `path:${p.name}`,
      valid: fc.constant((d: Draft) => void (d.pathValues[p.name] = own[p.name] ?? 'x')),
      invalid: fc
        .oneof(hostileSegment(p), ...(own[p.name] ? [idVariant(own[p.name]!, p.name)] : []))
        .map((v) => (d: Draft) => void (d.pathValues[p.name] = v)),
    });
  }
  for (const p of op.params.filter((x) => x.in === 'query')) {
    const bad = invalidQueryValue(p.schema);
    const good = plausibleFor(p.schema, caller.hints).map((v) => String(v));
    const valid = p.required ? good.map((v) => (d: Draft) => void d.query.push([p.name, v])) : fc.option(good).map((v) => (d: Draft) => void (v !== null && d.query.push([p.name, v])));
    // A required parameter left out is as invalid as a wrong one.
    const missing = p.required ? [fc.constant((_: Draft) => {})] : [];
    const wrong = bad ? [bad.map((v) => (d: Draft) => void d.query.push([p.name, v]))] : [];
    slots.push({ name: `query:${p.name}`, valid, invalid: wrong.length + missing.length ? fc.oneof(...wrong, ...missing) : null });
  }
  for (const p of op.params.filter((x) => x.in === 'header')) {
    const bad = invalidHeaderValue(p.schema);
    if (!bad) continue;
    slots.push({
      name: `header:${p.name}`,
      valid: fc.constantFrom('phone-1', undefined).map((v) => (d: Draft) => void (v && (d.headers[p.name] = v))),
      invalid: bad.map((v) => (d: Draft) => void (d.headers[p.name] = v)),
    });
  }
  if (op.body?.contentType === 'application/json') {
    const schema = op.body.schema;
    const bad = invalidFor(schema, caller.hints);
    slots.push({
      name: 'body',
      valid: withExtraFields(plausibleFor(schema, caller.hints), schema).map((v) => jsonPart(v)),
      invalid: fc.oneof(
        ...(bad ? [{ weight: 6, arbitrary: withExtraFields(bad, schema).map((v) => jsonPart(v)) }] : []),
        { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((t) => jsonPart(new RawJson(t))) },
        { weight: 1, arbitrary: DEEP.map((t) => jsonPart(new RawJson(t))) },
        // No body at all: refused where the schema requires a field (a route whose fields are all
        // optional reads a missing body as {}).
        ...(schema.required?.length ? [{ weight: 1, arbitrary: fc.constant((d: Draft) => void (d.body = undefined)) }] : []),
      ),
    });
  }
  if (op.body?.contentType === 'multipart/form-data') slots.push({ name: 'multipart', valid: multipart(caller, true), invalid: multipart(caller, false) });
  if (hasBodyMethod) {
    // What the platform refuses before any route sees the request: bytes that are not UTF-8, a
    // lone surrogate, a Content-Type that is not JSON, a body over 1 MB.
    const encoding = fc.oneof(fc.constantFrom(...badBodies.map(([, b]) => b)), fc.constant(null)).chain((fixed) =>
      fixed ? fc.constant(fixed) : withInvalidUtf8(undefined),
    );
    slots.push({
      name: 'bytes',
      valid: fc.constant(() => {}),
      invalid: fc.oneof(
        encoding.map((bytes) => (d: Draft) => {
          d.body = bytes;
          d.headers['content-type'] = 'application/json';
        }),
        fc.constant((d: Draft) => {
          // Invalid bytes inside whatever body the other parts built.
          const text = d.body instanceof FormData || d.body === undefined ? '{}' : typeof d.body === 'string' ? d.body : new TextDecoder().decode(d.body);
          const at = Math.max(text.indexOf('"') + 1, 0);
          d.body = concat(encoder.encode(text.slice(0, at)), new Uint8Array([0xff, 0xfe]), encoder.encode(text.slice(at)));
          d.headers['content-type'] = 'application/json; charset=utf-8';
        }),
        withLoneSurrogate,
        ...(op.method !== 'DELETE'
          ? [
              fc.constantFrom(...CONTENT_TYPES).map((type) => (d: Draft) => {
                d.body ??= '{"a":1}';
                if (d.body instanceof FormData) d.body = 'receipt=x';
                d.headers['content-type'] = type;
              }),
            ]
          : []),
        fc.integer({ min: 1, max: 64 }).map((extra) => (d: Draft) => {
          d.body = `{"x":"${'a'.repeat(1024 * 1024 + extra)}"}`;
          d.headers['content-type'] = 'application/json';
        }),
      ),
    });
  }
  if (op.auth === 'bearer') {
    const token = caller.headers.authorization?.replace(/^Bearer /, '') ?? '';
    slots.push({
      name: 'authorization',
      valid: fc.constant(() => {}),
      invalid: fc.oneof(hostileAuthorization(token), fc.constant(null)).map((value) => (d: Draft) => {
        if (value === null) delete d.headers.authorization;
        else d.headers.authorization = value;
      }),
    });
  }
  if (api) {
    slots.push({
      name: 'url',
      valid: fc.constant(() => {}),
      invalid: fc.integer({ min: 1, max: 2000 }).map((extra) => (d: Draft) => void d.query.push(['pad', 'x'.repeat(MAX_URL_LENGTH + extra)])),
    });
  }
  const choosable = slots.filter((s) => s.invalid).map((s) => s.name);
  // /health takes nothing a client could get wrong: it has its own case.
  if (!choosable.length) return null;

  // Headers that must change nothing: an override of the method, a forwarded address, a request id that is no token.
  const noiseHeaders = fc.subarray([
    ['x-http-method-override', 'DELETE'],
    ['x-forwarded-for', "127.0.0.1, ' OR 1=1 --"],
    ['x-request-id', '<script>alert(1)</script>'],
    ['x-original-url', '/api/auth/logout'],
    ['origin', 'https://evil.example'],
  ] as [string, string][]);
  const noise = fc.array(fc.tuple(nastyText.map(encodeURIComponent), nastyText.map(encodeURIComponent)), { maxLength: 2 });
  return fc
    .tuple(fc.subarray(choosable, { minLength: 1, maxLength: Math.min(2, choosable.length) }), noise, noiseHeaders)
    .chain(([chosen, extraQuery, extraHeaders]) =>
      fc.tuple(...slots.map((s) => (chosen.includes(s.name) ? s.invalid! : s.valid))).map((parts) => {
        const draft: Draft = { pathValues: {}, query: [], headers: { ...Object.fromEntries(extraHeaders), ...caller.headers } };
        // Body parts first, then what rewrites their bytes.
        const ordered = slots.map((s, i) => [s.name, parts[i]!] as const).sort(([a], [b]) => (a === 'bytes' ? 1 : 0) - (b === 'bytes' ? 1 : 0));
        for (const [, part] of ordered) part(draft);
        const query = [...draft.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`), ...extraQuery.map(([k, v]) => `x-${k}=${v}`)];
        if (draft.body !== undefined && !(draft.body instanceof FormData)) {
          draft.headers['content-length'] = String(typeof draft.body === 'string' ? encoder.encode(draft.body).length : draft.body.length);
        }
        return {
          method: op.method,
          path: fillPath(op, draft.pathValues) + (query.length ? `?${query.join('&')}` : ''),
          headers: draft.headers,
          ...(draft.body !== undefined && { body: draft.body }),
          invalid: chosen,
        };
      }),
    );
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]);

/** An upload: valid-looking, or refused (no file, a text part, bytes that are no image, a nasty name, someone else's expense). */
function multipart(caller: Caller, valid: boolean): fc.Arbitrary<Part> {
  const file = (bytes: Uint8Array, name: string, type: string) => new File([bytes as Uint8Array<ArrayBuffer>], name, { type });
  const build = (fields: [string, string | File][]) => (d: Draft) => {
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    d.body = form;
    delete d.headers['content-type'];
  };
  if (valid) return fc.constant(build([['receipt', file(PNG, 'r.png', 'image/png')]]));
  return fc.oneof(
    fc.constant(build([])),
    nastyText.map((t) => build([['receipt', t]])),
    fc.tuple(nastyText, fc.constantFrom('image/png', 'image/jpeg', 'application/pdf', 'text/html')).map(([t, type]) => build([['receipt', file(encoder.encode(t), `${t}.png`, type)]])),
    fc.constant(build([['receipt', file(new Uint8Array(), 'empty.png', 'image/png')]])),
    fc.tuple(nastyText, fc.constantFrom(String(caller.hints.expenseId ?? ''), '')).map(([t, own]) =>
      build([
        // Bytes of no known file type, whatever the part claims (a file is judged by its signature).
        ['receipt', file(encoder.encode('not a PDF at all'), 'x.pdf', 'application/pdf')],
        ['expenseId', own || t],
      ]),
    ),
    nastyText.map((t) => build([['receipt', file(PNG, 'r.png', 'image/png')], ['expenseId', t]])),
    fc.constant(build([['receipt', file(PNG, 'a.png', 'image/png')], ['receipt', file(PNG, 'b.png', 'image/png')], ['expenseId', 'x'.repeat(65)]])),
  );
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export async function send(app: App, req: HostileRequest): Promise<Answer> {
  const res = await app.app.request(req.path, { method: req.method, headers: req.headers, ...(req.body !== undefined && { body: req.body as BodyInit }) });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

// What must never reach a client: a stack frame, a source path, the database's own words.
const LEAK = /\n\s+at |node_modules|\.ts:\d+|\.js:\d+|SQLITE_|LibsqlError|SqliteError|no such (table|column)|syntax error|drizzle|Failed query|RangeError|TypeError|ReferenceError|Maximum call stack/i;

/** The problems with an answer to a request that is invalid: an empty list when it is a 4xx in the error shape. */
export function problemsWith(answer: Answer, op: Operation): string[] {
  const problems: string[] = [];
  if (answer.status < 400 || answer.status >= 500) problems.push(`status ${answer.status}`);
  if (!answer.contentType.startsWith('application/json')) problems.push(`content-type ${answer.contentType}`);
  if (LEAK.test(answer.text)) problems.push('a stack, path or SQL text in the body');
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [...problems, 'a body that is not JSON'];
  }
  const catalogue = errorCatalogue as Record<string, number>;
  if (body?.success !== false) problems.push('success is not false');
  if (typeof body?.error !== 'string' || body.error.length === 0 || body.error.length > 500) problems.push('no error message (1-500 characters)');
  if (!(body?.code in catalogue)) problems.push(`code ${body?.code} is not in the catalogue`);
  else if (catalogue[body.code] !== answer.status) problems.push(`code ${body.code} goes with ${catalogue[body.code]}, not ${answer.status}`);
  if (body?.details !== undefined && !(Array.isArray(body.details) && body.details.length <= 200 && body.details.every((d: any) => typeof d?.path === 'string' && typeof d?.message === 'string'))) {
    problems.push('details not a list of {path, message}');
  }
  const extra = Object.keys(body ?? {}).filter((k) => !['success', 'error', 'code', 'details', 'requestId'].includes(k));
  if (extra.length) problems.push(`unexpected fields ${extra.join(', ')}`);
  if (!op.statuses.includes(answer.status)) problems.push(`status ${answer.status} is not in the document for this operation`);
  return problems;
}
