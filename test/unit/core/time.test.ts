import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import fc from 'fast-check';
import { ageOf, formatAge, formatSeconds, toIsoString, utcDateOf } from '../../../src/core/time';

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

const now = new Date('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

test('formatAge reads like kubectl AGE', () => {
  assert.equal(formatAge(ago(45_000), now), '45s');
  assert.equal(formatAge(ago(5 * 60_000), now), '5m');
  assert.equal(formatAge(ago(5 * 3_600_000), now), '5h');
  assert.equal(formatAge(ago(12 * 86_400_000), now), '12d');
  assert.equal(formatAge(ago(800 * 86_400_000), now), '2y');
  assert.equal(formatAge(new Date(now.getTime() + 10_000), now), '0s', 'clock skew never gives a negative age');
});

test('ageOf tolerates missing and invalid timestamps', () => {
  assert.equal(ageOf(null, now), undefined);
  assert.equal(ageOf('not a date', now), undefined);
  assert.equal(ageOf('2025-05-31T12:00:00Z', now), '24h');
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
