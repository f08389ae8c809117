// runInSlices: the generator's result exactly, yielding to the event loop between slices, and giving up when asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInSlices } from '../../../src/core/slices';

function* count(to: number, spin: number): Generator<void, number> {
  let total = 0;
  for (let i = 1; i <= to; i++) {
    const until = performance.now() + spin;
    while (performance.now() < until);
    total += i;
    yield;
  }
  return total;
}

test('gives the generator result and lets timers run between slices', async () => {
  let timers = 0;
  const ticking = setInterval(() => timers++, 0);
  const slices: number[] = [];
  const result = await runInSlices(count(60, 1), { budgetMs: 5, onSlice: (ms) => slices.push(ms) });
  clearInterval(ticking);
  assert.equal(result, (60 * 61) / 2);
  assert.ok(slices.length >= 6, `60 steps of 1 ms in 5 ms slices: ${slices.length} slices`);
  assert.ok(timers > 0, 'other work ran between slices');
});

test('returns undefined once cancelled, without finishing the work', async () => {
  let steps = 0;
  function* endless(): Generator<void, number> {
    for (;;) {
      steps++;
      const until = performance.now() + 1;
      while (performance.now() < until);
      yield;
    }
  }
  let slices = 0;
  const result = await runInSlices(endless(), { budgetMs: 2, cancelled: () => slices >= 3, onSlice: () => slices++ });
  assert.equal(result, undefined);
  assert.ok(steps > 0 && slices === 3);
});
