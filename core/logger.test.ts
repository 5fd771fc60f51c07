import { describe, expect, it } from 'vitest';
import { batchedLines, createLogger } from './logger.ts';

describe('logger', () => {
  it('writes JSON lines at or above its level, with the fields a child binds', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (l) => lines.push(l)).child({ requestId: 'r1' });
    logger.debug('hidden');
    logger.info('request', { status: 200 });
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ level: 'info', time: expect.any(String), msg: 'request', requestId: 'r1', status: 200 }]);
  });

  it('batches lines into one write per turn, and flushes on demand', async () => {
    const writes: string[] = [];
    const out = batchedLines((t) => writes.push(t));
    out.write('a');
    out.write('b');
    expect(writes).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    expect(writes).toEqual(['a\nb\n']);
    out.write('c');
    out.flush();
    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });
});
