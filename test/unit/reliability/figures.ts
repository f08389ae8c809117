// Counts what a reliability suite ran and prints one line the README can quote, e.g.
// "reliability tokens: 41 cases, 5300 fuzz iterations (seed 20240301)". A fixed seed makes every run the same.
import { after } from 'node:test';
import fc from 'fast-check';

export const SEED = 20240301;

export interface Figures {
  /** Runs a fast-check property with the fixed seed and counts its runs. */
  fuzz<Ts extends [unknown, ...unknown[]]>(
    property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
    numRuns: number,
  ): Promise<void>;
  /** Counts hand-picked hostile inputs. */
  cases(count?: number): void;
}

export function figures(suite: string): Figures {
  let cases = 0;
  let iterations = 0;
  after(() => console.log(`reliability ${suite}: ${cases} cases, ${iterations} fuzz iterations (seed ${SEED})`));
  return {
    async fuzz(property, numRuns) {
      await fc.assert(property, { seed: SEED, numRuns });
      iterations += numRuns;
    },
    cases(count = 1) {
      cases += count;
    },
  };
}

/** Milliseconds `work` takes. */
export function timed(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}
