import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_BLOCK, withExamples } from './readme-examples.ts';

const read = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');

describe('sdk/README.md', () => {
  it('shows each example file as it is (the end-to-end suite runs the files)', () => {
    const readme = read('README.md');
    expect([...readme.matchAll(EXAMPLE_BLOCK)].map((m) => m[1])).toEqual(['examples/feed.ts', 'examples/webhooks.ts', 'examples/receiver.ts']);
    expect(readme).toBe(withExamples(readme, read));
  });
});
