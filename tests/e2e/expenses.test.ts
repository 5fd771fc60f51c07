import { describe, expect, it } from 'vitest';
import { sharedServer } from './server.ts';

type Item = { _id: string; description: string };

describe('the expense list, over HTTP', () => {
  const { api } = sharedServer();

  it('pages by its Link header, answers a page asked again as the first time, and shows a write at once', async () => {
    const alice = await api.register();
    for (const [i, description] of ['Taxi', 'Lunch', 'Museum'].entries()) {
      expect((await api.post('/api/expenses', { description, amount: 10 + i, category: 'travel', date: `2025-04-0${i + 1}` }, alice.token)).status).toBe(201);
    }
    const first = await api.get<Item[]>('/api/expenses?limit=2', alice.token);
    expect(first.status).toBe(200);
    expect(first.body.map((e) => e.description)).toEqual(['Museum', 'Lunch']);
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toMatch(/^\/api\/expenses\?limit=2&cursor=/);

    // The same URL again (the page the process keeps): the same items and the same Link.
    const again = await api.get<Item[]>('/api/expenses?limit=2', alice.token);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('link')).toBe(first.headers.get('link'));

    const last = await api.get<Item[]>(next!, alice.token);
    expect(last.body.map((e) => e.description)).toEqual(['Taxi']);
    expect(last.headers.get('link')).toBeNull();

    await api.post('/api/expenses', { description: 'Ferry', amount: 5, category: 'travel', date: '2025-04-09' }, alice.token);
    expect((await api.get<Item[]>('/api/expenses?limit=2', alice.token)).body.map((e) => e.description)).toEqual(['Ferry', 'Museum']);
    // A query that fails validation is refused however often a valid one was answered.
    expect(await api.get('/api/expenses?limit=0', alice.token)).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });
});
