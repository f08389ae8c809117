import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRng } from '../lib/prng';
import { describeVerdict, verdict, type MetricResult } from '../lib/result';
import { interleave, interleaveItems, medianRatio, summarize } from '../lib/stats';

test('summarize gives median, nearest-rank p99 and extremes', () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
  const stats = summarize(samples);
  assert.equal(stats.median, 50.5);
  assert.equal(stats.p99, 99);
  assert.equal(stats.min, 1);
  assert.equal(stats.max, 100);
  assert.equal(summarize([3, 1, 2]).median, 2);
  assert.throws(() => summarize([]), /no samples/);
});

test('interleave alternates the order of cases and drops warm-up rounds', async () => {
  const calls: string[] = [];
  const samples = await interleave(
    { a: () => (calls.push('a'), 1), b: async () => (calls.push('b'), 2) },
    { reps: 3, warmup: 1 },
  );
  assert.deepEqual(calls, ['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a']);
  assert.deepEqual(samples, { a: [1, 1, 1], b: [2, 2, 2] });
  assert.equal(medianRatio(samples.b, samples.a), 2);
});

test('the seeded generator is deterministic and spreads over its range', () => {
  const first = createRng(1);
  const second = createRng(1);
  const values = Array.from({ length: 1000 }, () => first.int(0, 9));
  assert.deepEqual(
    values,
    Array.from({ length: 1000 }, () => second.int(0, 9)),
  );
  assert.deepEqual(new Set(values).size, 10);
  assert.match(createRng(2).suffix(5), /^[a-z0-9]{5}$/);
});

const result = (value: MetricResult['value'], target: MetricResult['target']): MetricResult => ({
  key: 'k',
  value,
  target,
  absolute: '',
  details: {},
});

test('verdicts say pass, miss by how much, pending and invalid', () => {
  assert.equal(verdict(result(1.2, { atMost: 1.3 })), 'pass');
  assert.equal(describeVerdict(result(1.95, { atMost: 1.3 })), 'MISS by 0.650 (50% over)');
  assert.equal(verdict(result(3.4, { atLeast: 3 })), 'pass');
  assert.equal(describeVerdict(result(2.4, { atLeast: 3 })), 'MISS by 0.600 (20% under)');
  assert.equal(verdict(result(false, { equals: false })), 'pass');
  assert.equal(verdict(result(true, { equals: false })), 'miss');
  assert.equal(verdict(result(12, { report: true })), 'report');
  assert.equal(
    describeVerdict({ ...result(null, { atMost: 1 }), pending: 'dist/cli.js is not built' }),
    'pending: dist/cli.js is not built',
  );
  assert.equal(verdict({ ...result(3, { report: true }), invalid: 'outputs do not parse' }), 'invalid');
});

test('interleaveItems alternates the cases on every item and sums each pass', () => {
  const calls: string[] = [];
  const samples = interleaveItems(
    [1, 2],
    { a: (item) => calls.push(`a${item}`), b: (item) => calls.push(`b${item}`) },
    { reps: 2, warmup: 1 },
  );
  assert.deepEqual(calls, ['a1', 'b1', 'b2', 'a2', 'b1', 'a1', 'a2', 'b2', 'a1', 'b1', 'b2', 'a2']);
  assert.equal(samples.a.length, 2);
  assert.ok(samples.a.every((total) => total >= 0));
});
