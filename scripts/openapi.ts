/**
 * `npm run openapi`: writes openapi/openapi.json and openapi/schema.d.ts (the typed client's
 * types), and moves the baseline of this major version (openapi/baseline/<major>.json) up to the
 * new document when nothing in it breaks a client; a breaking change leaves the baseline as it
 * is (tests/openapi-versioning.test.ts then fails) until the major version in package.json changes.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { buildOpenApi } from '../openapi/build.ts';
import { breakingChanges, majorOf, surfaceOf, type OpenApiDocument, type Surface } from '../openapi/surface.ts';

const { json, types, document } = await buildOpenApi();
await writeFile(new URL('../openapi/openapi.json', import.meta.url), json);
await writeFile(new URL('../openapi/schema.d.ts', import.meta.url), types);
console.log('wrote openapi/openapi.json and openapi/schema.d.ts');

const surface = surfaceOf(document as unknown as OpenApiDocument);
mkdirSync(new URL('../openapi/baseline/', import.meta.url), { recursive: true });
const baselineFile = new URL(`../openapi/baseline/${majorOf(surface.version)}.json`, import.meta.url);
const breaking = existsSync(baselineFile) ? breakingChanges(JSON.parse(readFileSync(baselineFile, 'utf8')) as Surface, surface) : [];
if (breaking.length > 0) {
  console.error(`breaking changes against openapi/baseline/${majorOf(surface.version)}.json (raise the major version to make them):\n  ${breaking.join('\n  ')}`);
  process.exitCode = 1;
} else {
  await writeFile(baselineFile, `${JSON.stringify(surface, null, 2)}\n`);
  console.log(`wrote openapi/baseline/${majorOf(surface.version)}.json`);
}
