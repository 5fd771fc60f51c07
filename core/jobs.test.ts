import { describe, expect, it } from 'vitest';
import { createTestApp } from '../tests/support/app.ts';

describe('job registry', async () => {
  const { platform } = await createTestApp();
  let runs = 0;
  let finish!: () => void;
  platform.jobs.add({
    name: 'test.slow',
    cron: '0 0 * * *',
    run: () => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    },
  });

  it('joins a run of the same job already under way instead of starting a second', async () => {
    const first = platform.jobs.run('test.slow', 'startup');
    const second = platform.jobs.run('test.slow', 'demand');
    expect(runs).toBe(1);
    finish();
    await Promise.all([first, second]);
  });

  it('starts a new run once the last one is over', async () => {
    const third = platform.jobs.run('test.slow', 'manual');
    expect(runs).toBe(2);
    finish();
    await third;
  });
});
