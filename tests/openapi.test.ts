import { createConfig, lintFromString } from '@redocly/openapi-core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../openapi/build.ts';
import { createTestApp } from './support/app.ts';

const committed = (name: string) => readFileSync(new URL(`../openapi/${name}`, import.meta.url), 'utf8');

describe('the OpenAPI contract', async () => {
  const built = await buildOpenApi();
  const doc = built.document as any;

  it('is committed exactly as served (run `npm run openapi` after changing a route)', async () => {
    const { api } = await createTestApp();
    const served = (await api.get('/openapi.json')).body;
    expect(JSON.parse(committed('openapi.json'))).toEqual(served);
    expect(committed('openapi.json')).toBe(built.json);
  });

  it('has its generated client types committed and current', () => {
    expect(committed('schema.d.ts')).toBe(built.types);
  });

  it('is a valid OpenAPI 3.1 document that lints clean (Redocly, recommended-strict)', async () => {
    const config = await createConfig({ extends: ['recommended-strict'] });
    const problems = await lintFromString({ source: built.json, absoluteRef: 'openapi.json', config });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('describes every route with an operationId, a tag and the shared error responses', () => {
    const operations = Object.values(doc.paths as Record<string, Record<string, any>>).flatMap((m) => Object.values(m));
    expect(operations.length).toBeGreaterThanOrEqual(16);
    for (const op of operations) {
      expect(op.operationId).toBeTruthy();
      expect(op.tags).toHaveLength(1);
      for (const status of ['400', '500']) {
        expect(op.responses[status].content['application/json'].schema.$ref, `${op.operationId} ${status}`).toBe('#/components/schemas/Error');
      }
      if (op.security?.length) expect(op.responses['401'], op.operationId).toBeDefined();
    }
  });

  it('keeps the seed field names of existing clients', () => {
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.Expense.properties)).toEqual(
      expect.arrayContaining(['_id', 'description', 'amount', 'originalAmount', 'originalCurrency', 'displayAmount', 'displayCurrency', 'category', 'type', 'date', 'createdAt', 'updatedAt']),
    );
    expect(Object.keys(schemas.AuthResult.properties)).toEqual(['token', 'user']);
    expect(Object.keys(schemas.Error.properties)).toEqual(expect.arrayContaining(['success', 'error', 'code', 'details']));
  });
});
