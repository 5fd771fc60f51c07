import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { breakingChanges, majorOf, surfaceOf, type OpenApiDocument, type Surface } from '../openapi/surface.ts';
import { createTestApp } from './support/app.ts';

describe('API versioning', async () => {
  const { api } = await createTestApp({ ocr: null });
  const served = (await api.get('/openapi.json')).body as OpenApiDocument;
  const major = majorOf(served.info.version);

  it('serves the API version, and breaks nothing against the baseline of its major version', () => {
    expect(served.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    // A new major version has no baseline yet: `npm run openapi` writes it.
    const baseline = JSON.parse(readFileSync(new URL(`../openapi/baseline/${major}.json`, import.meta.url), 'utf8')) as Surface;
    expect(majorOf(baseline.version)).toBe(major);
    expect(breakingChanges(baseline, surfaceOf(served))).toEqual([]);
  });

  describe('on a doctored copy of the served document', () => {
    const baseline = surfaceOf(served);
    const doctored = (change: (doc: any) => void) => {
      const doc = structuredClone(served) as any;
      change(doc);
      return breakingChanges(baseline, surfaceOf(doc));
    };

    it('catches a removed path', () => {
      expect(doctored((doc) => delete doc.paths['/api/goals/{id}'])).toEqual([
        'removed operation GET /api/goals/{id}',
        'removed operation PUT /api/goals/{id}',
        'removed operation DELETE /api/goals/{id}',
      ]);
    });

    it('catches a removed response field, wherever the schema is used', () => {
      const found = doctored((doc) => delete doc.components.schemas.Expense.properties.displayAmount);
      expect(found).toContain('POST /api/expenses: removed field displayAmount from response 201');
      expect(found).toContain('GET /api/expenses: removed field [].displayAmount from response 200');
    });

    it('catches a newly required field and a newly required parameter', () => {
      const field = doctored((doc) => doc.components.schemas.CreateExpenseRequest.required.push('notes'));
      expect(field).toContain('POST /api/expenses: body.notes is newly required');
      const parameter = doctored((doc) => {
        doc.paths['/api/expenses'].get.parameters.find((p: { name: string }) => p.name === 'limit').required = true;
      });
      expect(parameter).toEqual(['GET /api/expenses: query:limit is newly required']);
    });

    it('lets additions through: a new path, a new optional field, a new response field', () => {
      expect(
        doctored((doc) => {
          doc.paths['/api/new'] = { get: { responses: { 200: { description: 'ok' } } } };
          doc.components.schemas.CreateExpenseRequest.properties.extra = { type: 'string', maxLength: 10 };
          doc.components.schemas.Expense.properties.extra = { type: 'string', maxLength: 10 };
        }),
      ).toEqual([]);
    });
  });
});
