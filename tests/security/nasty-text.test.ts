import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';
import { startRatesServer } from '../support/rates-server.ts';
import { fillPath, label, operationsOf, type Operation } from './document.ts';
import { NOT_IDS, ratesLoaded, richUser, snapshot, WORKER_SECRET } from './fixture.ts';
import { problemsWith, send } from './requests.ts';
import { assertProperty, runSettings } from './settings.ts';
import { characters, exampleFor, nastyText, serialize } from './values.ts';

/**
 * Valid but nasty: SQL, markup, templates, prototype names and odd Unicode are valid text where
 * a schema takes free text. Sent only as a scratch user, to the scratch user's own things: each
 * write that goes through must store the text as sent and give it back as sent (escaped in
 * JSON, nothing stripped or rewritten), on the answer and on a read; another user's data reads
 * back unchanged.
 */

// Secrets and codes are not free text, and are never given back.
const NOT_TEXT = /password|code|challenge/i;

// Names of the user's own categories: letters, digits, space, "_" and "-", kept lowercase. The
// rule needs a /u pattern the document cannot carry, so its schema reads as a plain string.
const NAMES_NOT_TEXT: Record<string, string> = { 'POST /api/expenses/categories': 'name' };

/** The body's top-level fields of free text: a string with no enum, format or pattern. */
const textFields = (op: Operation, hinted: Set<string>) =>
  Object.entries(op.body?.schema.properties ?? {}).filter(([name, p]) => {
    const types = Array.isArray(p.type) ? p.type : [p.type];
    return types.includes('string') && !p.enum && !p.format && !p.pattern && !hinted.has(name) && !NOT_TEXT.test(name) && NAMES_NOT_TEXT[label(op)] !== name;
  });

/** Every value under a key of that name, anywhere in the answer. */
function valuesAt(value: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) valuesAt(v, key, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key) out.push(v);
      valuesAt(v, key, out);
    }
  }
  return out;
}

/** Writes whose text lands on an expense, read where expenses are read. */
const READ_ELSEWHERE: Record<string, (answer: any) => string> = {
  'POST /api/groups/{id}/expenses': (answer) => `/api/expenses/${answer.data.expense}`,
  'POST /api/receipts/{id}/expense': (answer) => `/api/expenses/${answer.expense._id}`,
};

const idOf = (body: any): string | undefined => body?._id ?? body?.data?._id ?? body?.id;

describe('valid but nasty text', async () => {
  const rates = await startRatesServer();
  const app = await createTestApp({ ocr: null, rates, env: { OCR_WORKER_SECRET: WORKER_SECRET, WEBHOOKS_ALLOW_PRIVATE: 'true' } });
  const doc = (await app.api.get('/openapi.json')).body;
  const ops = operationsOf(doc);
  const alice = await richUser(app, 'Alice', await app.api.register());
  const scratch = await richUser(app, 'Scratch', await app.api.register());
  await ratesLoaded(app, alice.user.token);
  const before = await snapshot(app, doc, alice.user, alice.ids);
  const settings = runSettings();
  let cases = 0;
  afterAll(async () => {
    console.log(`valid but nasty text: ${cases} generated cases (FC_SEED=${settings.seed})`);
    await rates.close();
  });

  const hinted = new Set(Object.keys(scratch.hints));
  const writes = ops.filter(
    (op) => op.auth === 'bearer' && op.body?.contentType === 'application/json' && textFields(op, hinted).length > 0 && !/\/2fa\/|change-password/.test(op.path),
  );
  /** The GET that reads back what a write stored: its own path, or the created thing's. */
  const readBack = (op: Operation, answer: unknown) => {
    const elsewhere = READ_ELSEWHERE[label(op)];
    if (elsewhere) return elsewhere(answer);
    const id = idOf(answer);
    const same = ops.find((o) => o.method === 'GET' && o.path === op.path && o.params.every((p) => p.in !== 'query' || !p.required));
    const own = { ...NOT_IDS[op.path], ...scratch.ids[op.path] };
    const byId = ops.find((o) => o.method === 'GET' && o.path === `${op.path}/{id}`);
    if (op.method === 'POST' && byId && id) return fillPath(byId, { ...own, id });
    if (same) return fillPath(same, own);
    // A change under a thing (`/goals/{id}/contribute`) is read on that thing.
    const parent = ops.find((o) => o.method === 'GET' && o.path === op.path.replace(/\/\w+$/, '') && o.path !== op.path);
    return parent ? fillPath(parent, own) : undefined;
  };

  it('has free-text writes to try', () => expect(writes.length).toBeGreaterThanOrEqual(10));

  writes.forEach((op, index) => {
    it(`${label(op)}: stores and gives back the text as sent`, async () => {
      const fields = textFields(op, hinted);
      const text = (max: number | undefined, min: number | undefined) =>
        // Outer spaces are trimmed by design; the generated text has none.
        nastyText.map((t) => [...t.trim()].slice(0, max ?? 200).join('') || 'x').filter((t) => characters(t) >= (min ?? 0) && t === t.trim());
      const bodies = fc
        .record(Object.fromEntries(fields.map(([name, p]) => [name, text(p.maxLength, p.minLength)])), { requiredKeys: [] })
        .filter((sent) => Object.keys(sent).length > 0)
        .map((sent) => ({ sent, body: { ...(exampleFor(op.body!.schema, scratch.hints) as object), ...sent } }));
      let stored = 0;
      await assertProperty(
        settings.seed,
        fc.asyncProperty(bodies, async ({ sent, body }) => {
          cases++;
          const answer = await send(app, {
            method: op.method,
            path: fillPath(op, { ...NOT_IDS[op.path], ...scratch.ids[op.path] }),
            headers: { authorization: `Bearer ${scratch.user.token}`, 'content-type': 'application/json' },
            body: serialize(body),
            invalid: [],
          });
          // Valid text is never refused for the text: a refusal names none of the sent fields
          // (it is a conflict or a limit: an expense split twice, the 101st budget), unless the
          // text escapes a NUL (the rule in core/http/guards.ts).
          if (answer.status >= 400) {
            expect(problemsWith(answer, op)).toEqual([]);
            const { code, details = [] } = JSON.parse(answer.text) as { code: string; details?: { path: string }[] };
            const nul = Object.values(sent).some((v) => v?.includes('\0'));
            if (code === 'INVALID_ENCODING') expect(nul, answer.text).toBe(true);
            const blamed = details.filter((d) => Object.keys(sent).some((name) => d.path === `json.${name}` || d.path.startsWith(`json.${name}.`)));
            expect(blamed, answer.text).toEqual([]);
            return;
          }
          stored++;
          const json = JSON.parse(answer.text);
          const path = readBack(op, json);
          const read = path ? JSON.parse((await send(app, { method: 'GET', path, headers: { authorization: `Bearer ${scratch.user.token}` }, invalid: [] })).text) : undefined;
          for (const [name, value] of Object.entries(sent)) {
            // Wherever the field is given back it is as sent; and it is given back somewhere.
            const answered = valuesAt(json, name);
            const readBack = read === undefined ? [] : valuesAt(read, name);
            if (answered.length) expect(answered, `${name} in the answer`).toContain(value);
            if (read !== undefined) expect(readBack, `${name} read back from ${path}`).toContain(value);
            expect(answered.length + readBack.length, `${name} is given back nowhere`).toBeGreaterThan(0);
          }
        }),
        { numRuns: Math.max(5, Math.round(settings.numRuns / 2)), seed: settings.seed + index, endOnFailure: true },
      );
      expect(stored, 'no generated write went through: the case proves nothing').toBeGreaterThan(0);
    });
  });

  // Searching for the text finds it: no wildcard, quote or escape in it is read as syntax.
  it('finds an expense by its nasty description, and nothing that lacks it', async () => {
    const search = nastyText.map((t) => [...t.trim()].slice(0, 100).join('')).filter((t) => t.length > 0 && !t.includes('\0'));
    await assertProperty(
      settings.seed,
      fc.asyncProperty(search, async (description) => {
        cases++;
        const made = await app.api.post('/api/expenses', { description, amount: 1, category: 'food' }, scratch.user.token);
        expect(made.status, JSON.stringify(made.body)).toBe(201);
        const found = await app.api.get(`/api/expenses?limit=200&q=${encodeURIComponent(description)}`, scratch.user.token);
        expect(found.status).toBe(200);
        expect(found.body.map((e: { _id: string }) => e._id)).toContain(made.body._id);
        // Case aside (ASCII letters), every hit holds the text in its description or merchant.
        const fold = (t: string) => t.replace(/[A-Z]/g, (c) => c.toLowerCase());
        for (const e of found.body as { description: string; merchant: string | null }[]) {
          expect(fold(`${e.description}\n${e.merchant ?? ''}`), e.description).toContain(fold(description));
        }
      }),
      { numRuns: settings.numRuns, seed: settings.seed - 1, endOnFailure: true },
    );
  });

  it("leaves another user's data as it was", async () => {
    expect(await snapshot(app, doc, alice.user, alice.ids)).toEqual(before);
  });
});
