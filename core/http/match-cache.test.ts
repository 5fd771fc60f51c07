import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { MatchCache } from './match-cache.ts';

// Through Hono itself: what a client sees of each request.
function app() {
  const app = new Hono({ router: new MatchCache() });
  app.use('*', async (c, next) => {
    await next();
    c.header('x-seen', '1');
  });
  app.get('/items/categories/:name', (c) => c.text(`category ${c.req.param('name')}`));
  app.get('/items/:id', (c) => c.text(`item ${c.req.param('id')}`));
  app.get('/items', (c) => c.text('list'));
  return app;
}

describe('MatchCache', () => {
  it('answers a path with parameters with its own parameters each time', async () => {
    const a = app();
    for (const id of ['a', 'b', 'a', 'c']) expect(await (await a.request(`/items/${id}`)).text()).toBe(`item ${id}`);
    expect(await (await a.request('/items/categories/food')).text()).toBe('category food');
    expect(await (await a.request('/items/categories/rent')).text()).toBe('category rent');
  });

  it('answers a static path the same way again, middleware included, and an unknown one 404', async () => {
    const a = app();
    for (let i = 0; i < 3; i++) {
      const res = await a.request('/items');
      expect([res.status, await res.text(), res.headers.get('x-seen')]).toEqual([200, 'list', '1']);
      expect((await a.request('/nothing')).status).toBe(404);
    }
  });

  it('sees a route added after a match was kept', async () => {
    const a = app();
    expect((await a.request('/later')).status).toBe(404);
    a.get('/later', (c) => c.text('here'));
    expect(await (await a.request('/later')).text()).toBe('here');
  });

  it('keeps answering rightly past the number of paths it keeps', async () => {
    const a = app();
    for (let i = 0; i < 1500; i++) expect((await a.request(`/unknown/${i}`)).status).toBe(404);
    expect(await (await a.request('/items')).text()).toBe('list');
  });
});
