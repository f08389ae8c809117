import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import fc from 'fast-check';
import { formatSeconds, toIsoString, utcDateOf } from '../../../src/core/time';

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

test('utcDateOf: the UTC calendar day of a timestamp; nothing for a missing or invalid one', () => {
  assert.equal(utcDateOf('2025-05-31T23:30:00-02:00'), '2025-06-01');
  assert.equal(utcDateOf('2025-05-31T12:00:00Z'), '2025-05-31');
  assert.equal(utcDateOf(null), undefined);
  assert.equal(utcDateOf('not a date'), undefined);
});

test('formatSeconds', () => {
  assert.equal(formatSeconds(3607), '1h 7s');
  assert.equal(formatSeconds(600), '10m');
  assert.equal(formatSeconds(31_536_000), '365d');
  assert.equal(formatSeconds(0), '0s');
});
