import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { badBodies, json } from '../../tests/support/bad-bodies.ts';

describe('strict JSON input', async () => {
  const { app, api } = await createTestApp();
  const { token } = await api.register();
  const send = (body: Uint8Array) =>
    app.request('/api/expenses', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });

  it.each(badBodies)('refuses %s with 400 INVALID_ENCODING and stores nothing', async (_, body) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ success: false, code: 'INVALID_ENCODING', details: [{ path: 'body' }] });
    expect((await api.get('/api/expenses', token)).body).toEqual([]);
  });

  it('keeps what was sent: accents, emoji, escaped pairs and a literal backslash-u', async () => {
    const res = await send(json('{"description":"café 😀 \\ud83d\\ude00 \\\\ud800","amount":5,"category":"food"}'));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { description: string }).description).toBe('café 😀 😀 \\ud800');
  });

  // Found by tests/security: a NUL was stored, but read back cut short at it ("a\u0000b" → "a").
  it('refuses an escaped U+0000 with 400 INVALID_ENCODING and stores nothing', async () => {
    const stored = (await api.get('/api/expenses', token)).body;
    const res = await send(json('{"description":"a\\u0000b","amount":5,"category":"food"}'));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_ENCODING', details: [{ path: 'body', message: 'escapes U+0000 (NUL), which text cannot hold' }] });
    expect((await api.get('/api/expenses', token)).body).toEqual(stored);
  });

  // Found by tests/security: the surrogate check walked the parsed body recursively, and JSON
  // nested deeper than the call stack (JSON.parse takes it) was a RangeError, a 500.
  it('answers 400, not 500, to an escape beside nesting 100,000 deep', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await send(json(`{"description":"\\u0041","amount":5,"category":"food","x":${deep}}`));
    expect(res.status).toBe(201); // unknown fields are ignored: the expense is stored
    const lone = await send(json(`{"description":"x","amount":5,"category":"food","x":${deep.replace('[]', '["\\udc00"]')}}`));
    expect(lone.status).toBe(400);
    expect(await lone.json()).toMatchObject({ code: 'INVALID_ENCODING' });
  });
});

describe('URL length', async () => {
  const { api } = await createTestApp();
  const { token } = await api.register();

  it('answers 414 URI_TOO_LONG past 16 KiB, and a long URL within it as usual', async () => {
    const res = await api.get(`/api/expenses?q=${'a'.repeat(17_000)}`, token);
    expect(res).toMatchObject({ status: 414, body: { success: false, code: 'URI_TOO_LONG' } });
    // Within the bound the request reaches the route, which judges the query itself.
    expect((await api.get(`/api/expenses?q=a&x=${'b'.repeat(15_000)}`, token)).status).toBe(200);
  });
});
