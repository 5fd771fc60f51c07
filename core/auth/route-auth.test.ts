import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../tests/support/app.ts';
import { jsonContent } from '../http/openapi.ts';
import { definePlugin } from '../plugin.ts';
import { scoped } from './scopes.ts';

describe('route authentication from the declaration', () => {
  it('stops the boot when a route declares a scope but authenticates no one', async () => {
    const careless = definePlugin({
      name: 'careless',
      description: 'declares a scope without requireAuth',
      routes: (app) =>
        app.openapi(
          createRoute({ method: 'get', path: '/', operationId: 'careless', tags: ['careless'], security: scoped('events:read'), responses: { 200: jsonContent(z.object({}), 'ok') } }),
          (c) => c.json({}, 200),
        ),
    });
    await expect(createTestApp({ extraPlugins: [careless], ocr: null })).rejects.toThrow('get /api/careless declares the scope events:read but has no requireAuth');
  });
});
