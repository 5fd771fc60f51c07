import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';
import { startRatesServer } from '../support/rates-server.ts';
import { badBodies } from '../support/bad-bodies.ts';
import { fillPath, label, operationsOf, type Operation } from './document.ts';
import { NOT_IDS, ratesLoaded, richUser, snapshot, WORKER_SECRET } from './fixture.ts';
import { MAX_BODY_BYTES, MAX_URL_LENGTH } from '../../core/http/guards.ts';
import { hostileRequests, problemsWith, send, type Answer, type Caller } from './requests.ts';
import { assertProperty, runSettings } from './settings.ts';
import { nastyText } from './values.ts';

/**
 * Every operation of the served document, sent requests generated from its schemas in which at
 * least one part is invalid: each answer must be a 4xx in the error shape, with no stack or SQL,
 * and the owner's data must read back as it was.
 */
describe('hostile input', async () => {
  const rates = await startRatesServer();
  const app = await createTestApp({ ocr: null, rates, env: { OCR_WORKER_SECRET: WORKER_SECRET, WEBHOOKS_ALLOW_PRIVATE: 'true' } });
  const doc = (await app.api.get('/openapi.json')).body;
  const ops = operationsOf(doc);
  const member = await app.api.register();
  const { user: alice, ids, hints } = await richUser(app, 'Alice', member);
  // Loads the rates once, so the currency routes answer what they would on a running server.
  await ratesLoaded(app, alice.token);
  const before = await snapshot(app, doc, alice, ids);
  const settings = runSettings();
  let cases = 0;
  afterAll(async () => {
    console.log(`hostile input: ${cases} generated cases over ${ops.length} operations (FC_SEED=${settings.seed}, ${settings.numRuns} per operation)`);
    await rates.close();
  });

  const callerFor = (op: Operation): Caller => ({
    headers: op.auth === 'bearer' ? { authorization: `Bearer ${alice.token}` } : op.auth === 'worker' ? { 'x-ocr-worker-secret': WORKER_SECRET } : {},
    pathValues: (o) => ({ ...NOT_IDS[o.path], ...ids[o.path] }),
    // Amounts are left to the generator; the other hints name things that exist.
    hints: Object.fromEntries(Object.entries(hints).filter(([k]) => k !== 'amount')),
  });

  ops.forEach((op, index) => {
    const requests = hostileRequests(op, callerFor(op));
    if (!requests) {
      // Nothing to get wrong (/health): unknown query parameters and odd headers change nothing.
      it(`${label(op)}: takes hostile extras in its stride`, async () => {
        const extras = fc.record({
          query: fc.array(fc.tuple(nastyText, nastyText), { maxLength: 3 }),
          requestId: fc.option(nastyText.map((t) => t.replace(/[^\x20-\x7e]/g, '?'))),
        });
        await assertProperty(
          settings.seed,
          fc.asyncProperty(extras, async ({ query, requestId }) => {
            cases++;
            const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
            const res = await app.app.request(`${op.path}${search ? `?${search}` : ''}`, { headers: requestId ? { 'x-request-id': requestId } : {} });
            expect(res.status).toBe(200);
            const text = await res.text();
            expect(() => JSON.parse(text)).not.toThrow();
            // A request id that is not a plain token is replaced, never echoed.
            if (requestId && !/^[\w\-=]{1,255}$/.test(requestId)) expect(res.headers.get('x-request-id')).not.toBe(requestId);
          }),
          { numRuns: settings.numRuns, seed: settings.seed + index, endOnFailure: true },
        );
      });
      return;
    }
    it(`${label(op)}: a 4xx in the error shape`, async () => {
      await assertProperty(
        settings.seed,
        fc.asyncProperty(requests, async (req) => {
          cases++;
          const answer = await send(app, req);
          const problems = problemsWith(answer, op);
          if (problems.length) throw new Error(`${problems.join('; ')}\n→ ${answer.status} ${answer.text.slice(0, 500)}`);
        }),
        { numRuns: settings.numRuns, seed: settings.seed + index, endOnFailure: true },
      );
    });
  });

  // The encoding checks answer before any route: every operation that may carry a body refuses
  // each of these exactly, whatever it would have done with the body.
  describe('bodies that are not UTF-8, or escape a lone surrogate', () => {
    for (const op of ops.filter((o) => o.method !== 'GET' && o.path.startsWith('/api/'))) {
      it(`${label(op)}: 400 INVALID_ENCODING for each`, async () => {
        const { headers, pathValues } = callerFor(op);
        for (const [what, body] of badBodies) {
          const answer = await send(app, {
            method: op.method,
            path: fillPath(op, pathValues(op)),
            headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) },
            body,
            invalid: [what],
          });
          expect(problemsWith(answer, op), what).toEqual([]);
          expect([answer.status, JSON.parse(answer.text).code], what).toEqual([400, 'INVALID_ENCODING']);
        }
      });
    }
  });

  // The other platform guards, each alone, with its exact answer on every operation it concerns.
  describe('what the platform refuses before any route', () => {
    const api = ops.filter((o) => o.path.startsWith('/api/'));
    const call = (op: Operation, init: { query?: string; headers?: Record<string, string>; body?: string }) => {
      const { headers, pathValues } = callerFor(op);
      const length: Record<string, string> = init.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(init.body)) };
      return send(app, { method: op.method, path: fillPath(op, pathValues(op)) + (init.query ?? ''), headers: { ...headers, ...length, ...init.headers }, ...(init.body !== undefined && { body: init.body }), invalid: [] });
    };
    const expectAnswer = async (op: Operation, answer: Promise<Answer>, status: number, code: string) => {
      const a = await answer;
      expect(problemsWith(a, op), label(op)).toEqual([]);
      expect([a.status, JSON.parse(a.text).code], label(op)).toEqual([status, code]);
    };

    it('414 URI_TOO_LONG for a URL over 16 KiB, on every operation', async () => {
      for (const op of api) await expectAnswer(op, call(op, { query: `?pad=${'x'.repeat(MAX_URL_LENGTH)}` }), 414, 'URI_TOO_LONG');
    });
    it('413 PAYLOAD_TOO_LARGE for a body over 1 MB, on every operation that may carry one', async () => {
      const body = `{"x":"${'a'.repeat(MAX_BODY_BYTES)}"}`;
      for (const op of api.filter((o) => o.method !== 'GET')) await expectAnswer(op, call(op, { body, headers: { 'content-type': 'application/json' } }), 413, 'PAYLOAD_TOO_LARGE');
    });
    it('415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON, on every POST, PUT and PATCH', async () => {
      for (const op of api.filter((o) => ['POST', 'PUT', 'PATCH'].includes(o.method))) {
        await expectAnswer(op, call(op, { body: '{"a":1}', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
    });
    it('400 VALIDATION_FAILED for malformed JSON, on every operation that takes a JSON body', async () => {
      for (const op of api.filter((o) => o.body?.contentType === 'application/json')) {
        await expectAnswer(op, call(op, { body: '{"a":', headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_FAILED');
      }
    });
  });

  it("leaves the owner's data as it was", async () => {
    expect(await snapshot(app, doc, alice, ids)).toEqual(before);
  });
});
