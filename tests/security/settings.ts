import fc from 'fast-check';

/**
 * How many cases fast-check generates per operation and from which seed. FC_SEED repeats a run
 * (the suite prints the seed it used); FC_RUNS changes the count (more for a long hunt).
 */
export function runSettings() {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
  const numRuns = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 30;
  if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(numRuns) || numRuns < 1) throw new Error('FC_SEED and FC_RUNS must be integers');
  return { seed, numRuns };
}

/** fc.assert, with the run's FC_SEED named in the failure, so the same cases can be run again. */
export async function assertProperty<T>(seed: number, property: fc.IAsyncPropertyWithHooks<T>, params: fc.Parameters<T>) {
  try {
    await fc.assert(property, params);
  } catch (err) {
    if (err instanceof Error) err.message = `FC_SEED=${seed} repeats this run.\n${err.message}`;
    throw err;
  }
}
