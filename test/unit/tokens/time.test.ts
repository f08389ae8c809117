import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { toIsoString } from '../../../src/core/tokens/time';

describe('toIsoString', () => {
  it('writes exactly what Date.prototype.toISOString writes, for every instant it accepts', () => {
    const edges = [0, -1, 951782400000, 951868799999, 4107542400000, -62135596800000, 253402300799999, 1790000000123];
    for (const ms of edges) assert.equal(toIsoString(new Date(ms)), new Date(ms).toISOString(), String(ms));
    fc.assert(
      fc.property(
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        (ms) => toIsoString(new Date(ms)) === new Date(ms).toISOString(),
      ),
      { seed: 20240301, numRuns: 20_000 },
    );
  });
});
