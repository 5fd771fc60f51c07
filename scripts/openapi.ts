/** `npm run openapi`: writes openapi/openapi.json and openapi/schema.d.ts (the typed client's types). */
import { writeFile } from 'node:fs/promises';
import { buildOpenApi } from '../openapi/build.ts';

const { json, types } = await buildOpenApi();
await writeFile(new URL('../openapi/openapi.json', import.meta.url), json);
await writeFile(new URL('../openapi/schema.d.ts', import.meta.url), types);
console.log('wrote openapi/openapi.json and openapi/schema.d.ts');
