import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.ts';
import { startRatesServer } from '../support/rates-server.ts';
import { fillPath, label, operationsOf, pathParams, type Operation } from './document.ts';
import { NOT_IDS, ratesLoaded, richUser, snapshot, WORKER_SECRET, type PathIds } from './fixture.ts';
import { problemsWith, send } from './requests.ts';
import { exampleFor, serialize, type Hints } from './values.ts';

const PNG = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'receipts', 'coffee-usd-small-font.png'));

/**
 * The authorisation matrix: every operation whose path names something, called by Bob with
 * Alice's real ids and a valid body, is a 404 in the error shape, and Alice's data reads back as
 * it was. The list comes from the served document, so a new route is in it; a route whose ids
 * the fixture does not provide fails the first case instead of dropping out.
 */
describe('authorisation matrix', async () => {
  const rates = await startRatesServer();
  const app = await createTestApp({ ocr: null, rates, env: { OCR_WORKER_SECRET: WORKER_SECRET, WEBHOOKS_ALLOW_PRIVATE: 'true' } });
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

  const upload = (token: string, expenseId: string) => {
    const form = new FormData();
    form.set('receipt', new File([PNG], 'r.png', { type: 'image/png' }));
    form.set('expenseId', expenseId);
    return send(app, { method: 'POST', path: '/api/receipts', headers: { authorization: `Bearer ${token}` }, body: form, invalid: [] });
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

  // Ids in bodies: a field naming one of Alice's things, sent by Bob (to his own path ids), is a
  // 404 too. Fields ending in Id are sorted into owned things, users and the client's own ids;
  // one in none of the lists fails the first case, so a new reference cannot slip by unjudged.
  const OWNED = ['expenseId', 'groupId'];
  const USERS = ['userId', 'fromUserId', 'toUserId', 'participantId', 'newAdminId', 'memberId'];
  const CLIENTS = ['opId'];
  const bodyRefs = operationsOf(doc).flatMap((op) =>
    op.auth === 'bearer' && op.body ? Object.keys(op.body.schema.properties ?? {}).filter((k) => /Id$/.test(k)).map((field) => ({ op, field })) : [],
  );
  it('knows what every id field of a body refers to', () => {
    expect(bodyRefs.filter(({ field }) => ![...OWNED, ...USERS, ...CLIENTS].includes(field)).map(({ op, field }) => `${label(op)} ${field}`)).toEqual([]);
  });
  for (const { op, field } of bodyRefs.filter((r) => OWNED.includes(r.field))) {
    it(`${label(op)}: Bob naming Alice's ${field} in the body gets 404`, async () => {
      const aliceValue = String(alice.hints[field]);
      const receipts = (await app.api.get('/api/receipts', bob.user.token)).body;
      const answer =
        op.body!.contentType === 'multipart/form-data'
          ? await upload(bob.user.token, aliceValue)
          : await request(op, bob.ids, { ...bob.hints, [field]: aliceValue }, bob.user.token);
      expect(answer.status, answer.text).toBe(404);
      expect(problemsWith(answer, op)).toEqual([]);
      // Nothing half-written: an upload refused for its expense leaves no receipt behind.
      expect((await app.api.get('/api/receipts', bob.user.token)).body).toEqual(receipts);
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
    for (const { op } of bodyRefs.filter((r) => OWNED.includes(r.field))) {
      const answer = op.body!.contentType === 'multipart/form-data' ? await upload(bob.user.token, String(bob.hints.expenseId)) : await request(op, bob.ids, bob.hints, bob.user.token);
      if (answer.status === 400 || answer.status === 404) refused.push(`${label(op)} (own ids in the body) → ${answer.status} ${answer.text.slice(0, 300)}`);
    }
    expect(refused).toEqual([]);
  });
});
