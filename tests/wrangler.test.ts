import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plugins } from '../plugins/index.ts';
import { retentionJob } from '../core/retention.ts';

const toml = readFileSync(new URL('../wrangler.toml', import.meta.url), 'utf8');

describe('wrangler.toml', () => {
  it('has a cron trigger for every job schedule, and none else (scheduled() matches them by string)', () => {
    const crons = JSON.parse(/^crons\s*=\s*(\[.*\])\s*$/m.exec(toml)![1]!) as string[];
    // Core's own jobs (retention) besides the plugins'.
    const schedules = new Set([...plugins.flatMap((p) => p.jobs ?? []), retentionJob].map((j) => j.cron));
    expect(new Set(crons)).toEqual(schedules);
  });

  it('runs the Worker host file', () => {
    expect(toml).toMatch(/^main\s*=\s*"hosts\/worker\.ts"$/m);
  });
});
