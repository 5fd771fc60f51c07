/**
 * `npm run typecheck`: the Worker's generated types are current (wrangler), the Node and Worker
 * code type-checks (tsc), the Deno host type-checks (deno check). Each step says on standard
 * output when it starts and how it ended (exit code or signal, and its time), so a run cut short
 * (a time limit, the OOM killer) or failing names its step even where only standard output is kept.
 *
 * tsc keeps what it checked in node_modules/.cache (`--incremental`): a fresh clone's first run
 * checks everything (about 35 s on the 2-core machine), a run with nothing changed about 7 s, and a
 * change rechecks the files that depend on it.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

const steps: [string, string, string[]][] = [
  ['wrangler types --check', bin('wrangler'), ['types', '--check', '--strict-vars=false', '--env-file', '/dev/null']],
  ['tsc', bin('tsc'), ['--noEmit', '--incremental', '--tsBuildInfoFile', `${root}node_modules/.cache/expenseflow/tsc.tsbuildinfo`]],
  ['deno check hosts/deno.ts', bin('deno'), ['check', '--quiet', '--node-modules-dir=manual', 'hosts/deno.ts']],
];

for (const [name, command, args] of steps) {
  console.log(`typecheck: ${name} …`);
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  if (run.status === 0) {
    console.log(`typecheck: ${name} passed (${took})`);
    continue;
  }
  const how = run.error
    ? `could not start (${run.error.message})`
    : run.signal
      ? `was stopped by ${run.signal} after ${took}`
      : `failed with exit code ${run.status} after ${took}; its messages are above (wrangler's and deno's on standard error)`;
  console.log(`typecheck: ${name} ${how}`);
  process.exit(1);
}
console.log('typecheck: all three passed');
