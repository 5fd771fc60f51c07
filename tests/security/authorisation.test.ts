import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';
import { startRatesServer } from '../support/rates-server.ts';
import { fillPath, label, operationsOf, pathParams, type Operation } from './document.ts';
import { NOT_IDS, ratesLoaded, richUser, snapshot, WORKER_SECRET, type PathIds } from './fixture.ts';
import { problemsWith, send } from './requests.ts';
import { exampleFor, serialize, type Hints } from './values.ts';

/**
 * The authorisation matrix: every operation whose path names something, called by Bob with
 * Alice's real ids and a valid body, is a 404 in the error shape, and Alice's data reads back as
 * it was. The list comes from the served document, so a new route is in it; a route whose ids
 * the fixture does not provide fails the first case instead of dropping out.
 */
describe('authorisation matrix', async () => {
  const rates = await startRatesServer();
  const app = await createTestApp({ ocr: null, rates, env: { OCR_WORKER_SECRET: WORKER_SECRET } });
  afterAll(() => rates.close());
  const doc = (await app.api.get('/openapi.json')).body;
  const ops = operationsOf(doc).filter((op) => pathParams(op).length > 0);
  const alice = await richUser(app, 'Alice', await app.api.register());
  const bob = await richUser(app, 'Bob', await app.api.register());
  // Someone in neither group: the address both sides invite.
  const stranger = await app.api.register();
  await ratesLoaded(app, alice.user.token);
  const before = await snapshot(app, doc, alice.user, alice.ids);

  // The OCR worker's routes take its shared secret, not a user: no user owns anything there.
  const workerOnly = (op: Operation) => op.auth === 'worker';
  const matrix = ops.filter((op) => !workerOnly(op) && !(op.path in NOT_IDS));

  const request = (op: Operation, ids: PathIds, hints: Hints, token: string) => {
    const body = op.body?.contentType === 'application/json' ? serialize(exampleFor(op.body.schema, { ...hints, email: stranger.email })) : undefined;
    return send(app, {
      method: op.method,
      path: fillPath(op, ids[op.path] ?? {}),
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body }),
      invalid: [],
    });
  };

  it('has an id of the fixture for every path parameter of every route (the matrix cannot shrink unseen)', () => {
    const missing = ops
      .filter((op) => !workerOnly(op))
      .flatMap((op) => pathParams(op).filter((p) => alice.ids[op.path]?.[p.name] === undefined && NOT_IDS[op.path]?.[p.name] === undefined).map((p) => `${label(op)} {${p.name}}`));
    expect(missing).toEqual([]);
    expect(matrix.length).toBeGreaterThanOrEqual(25);
  });

  for (const op of matrix) {
    it(`${label(op)}: Bob with Alice's ids gets 404`, async () => {
      const answer = await request(op, alice.ids, alice.hints, bob.user.token);
      expect(answer.status, answer.text).toBe(404);
      expect(problemsWith(answer, op)).toEqual([]);
      expect(JSON.parse(answer.text)).toMatchObject({ success: false, code: 'NOT_FOUND' });
    });
  }

  it("leaves Alice's data as it was", async () => {
    expect(await snapshot(app, doc, alice.user, alice.ids)).toEqual(before);
  });

  // The control: the same requests with Bob's own ids get past validation and find what they
  // name, so each 404 above is about whose id it is, not about a malformed request. Reads and
  // changes first, then leaving and deleting (deepest paths first), Bob's own session last.
  const rank = (op: Operation) =>
    op.path === '/api/auth/sessions/{id}' ? 4 : op.method === 'DELETE' ? 3 - op.path.split('/').length / 100 : op.path.endsWith('/leave') ? 2 : op.method === 'GET' ? 0 : 1;
  it('answers the same requests with Bob’s own ids with neither 400 nor 404', async () => {
    const refused: string[] = [];
    for (const op of [...matrix].sort((a, b) => rank(a) - rank(b))) {
      const answer = await request(op, bob.ids, bob.hints, bob.user.token);
      if (answer.status === 400 || answer.status === 404) refused.push(`${label(op)} → ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    expect(refused).toEqual([]);
  });
});
