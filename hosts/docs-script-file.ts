/**
 * The API reference's browser bundle read from node_modules, for the hosts that have a file
 * system (Node, and Deno through node:fs). The Worker has none: it uses Workers Static Assets.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocsScript } from '../core/docs.ts';

// The package exports no path to its browser build, so find it beside its main entry.
// Resolved on first use, not at import: workerd tests import tests/support/app.ts too.
const scriptFile = () => join(dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')), 'browser', 'standalone.js');

let bytes: Promise<Uint8Array<ArrayBuffer>> | undefined;

/** Read on the first request for /docs/scalar.js, then kept in memory (about 4 MB). */
export const readDocsScript: DocsScript = async () => {
  bytes ??= readFile(scriptFile()).then((b) => new Uint8Array(b), (err) => {
    bytes = undefined; // a later request tries again
    throw err;
  });
  return new Response(await bytes);
};
